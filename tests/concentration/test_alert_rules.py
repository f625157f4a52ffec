"""Alert rules kept as data: the published defaults, the commercial team's edits, the alerts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.concentration.models import AlertRule
from app.concentration.services import alert_rules
from app.concentration.services import dashboard as dash
from app.errors import DomainError

from .conftest import CATEGORY, TRUST_TYPE


def rule(db_session, slug: str) -> AlertRule:
    return db_session.execute(select(AlertRule).where(AlertRule.slug == slug)).scalar_one()


def test_every_default_rule_keeps_its_source_and_names_its_kind(db_session):
    rows = alert_rules.read_defaults()
    assert len(rows) == db_session.execute(select(func.count(AlertRule.id))).scalar_one()
    for r in rows:
        assert "https://" in r["source_urls"], r["slug"]
        assert r["regime"] and r["published_threshold"]
        assert rule(db_session, r["slug"]).source_kind == r["source_kind"] in ("primary", "secondary", "other")


def test_no_rule_is_called_verified_and_none_cites_a_forum(db_session):
    rules = alert_rules.list_rules()
    assert rules and not any(r.verified for r in rules)
    assert not any("ycombinator" in r.source_urls for r in rules)
    moderate = rule(db_session, "us-2023-moderately-concentrated")
    assert moderate.source_url_list == ["https://www.justice.gov/atr/herfindahl-hirschman-index"]
    assert moderate.source_kind == "primary"  # the regulator's own page, not read: not verified


def test_the_database_refuses_a_verified_rule_whose_source_is_not_primary(db_session):
    from sqlalchemy.exc import IntegrityError

    r = rule(db_session, "us-2023-significant-rise")
    assert r.source_kind == "secondary"
    nested = db_session.begin_nested()
    r.verified = True
    with pytest.raises(IntegrityError):
        db_session.flush()
    nested.rollback()


def test_loading_the_defaults_puts_back_a_rules_source_but_keeps_the_teams_thresholds(db_session):
    r = rule(db_session, "us-2023-moderately-concentrated")
    alert_rules.update_rule(r, threshold=1100, delta_threshold=None, severity="warning", active=True)
    r.source_urls, r.source_kind = "https://news.ycombinator.com/item?id=39780692", "other"  # as an old seed had it
    db_session.flush()
    assert alert_rules.load_default_rules() == []
    r = rule(db_session, "us-2023-moderately-concentrated")
    assert r.source_urls == "https://www.justice.gov/atr/herfindahl-hirschman-index" and r.source_kind == "primary"
    assert (r.threshold, r.severity) == (1100, "warning")
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "concentration.rule_source")).first()


def test_the_uk_2010_figures_are_marked_unverified_and_are_off(db_session):
    for slug in ("uk-2010-concentrated", "uk-2010-highly-concentrated"):
        r = rule(db_session, slug)
        assert not r.verified and not r.active
        assert "NOT VERIFIED" in r.published_threshold


def test_the_published_us_2023_figures_are_the_defaults(db_session):
    high = rule(db_session, "us-2023-highly-concentrated")
    assert (high.metric, high.threshold, high.delta_threshold, high.active) == ("hhi", 1800, None, True)
    rise = rule(db_session, "us-2023-significant-rise")
    assert (rise.metric, rise.threshold) == ("delta_hhi", 100)
    assert high.source_url_list[0].startswith("https://www.justice.gov/")


def test_loading_the_defaults_again_changes_nothing(db_session):
    r = rule(db_session, "us-2023-highly-concentrated")
    alert_rules.update_rule(r, threshold=2000, delta_threshold=None, severity="high", active=True)
    assert alert_rules.load_default_rules() == []
    assert rule(db_session, "us-2023-highly-concentrated").threshold == 2000  # the edit is kept


def test_a_missing_default_is_loaded_and_audited(db_session):
    db_session.delete(rule(db_session, "eu-2004-outside-safe-harbour-high"))
    db_session.flush()
    created = alert_rules.load_default_rules()
    assert [r.slug for r in created] == ["eu-2004-outside-safe-harbour-high"]
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "concentration.rule_create")).first()


@pytest.mark.parametrize("slug, values, field", [
    ("us-2023-highly-concentrated", {"threshold": 10_001}, "threshold"),
    ("us-2023-highly-concentrated", {"threshold": -1}, "threshold"),
    ("us-2023-share-presumption", {"threshold": 101}, "threshold"),
    ("us-2023-highly-concentrated", {"delta_threshold": -3}, "delta_threshold"),
    ("us-2023-significant-rise", {"delta_threshold": 50}, "delta_threshold"),
    ("us-2023-highly-concentrated", {"severity": "panic"}, "severity"),
])
def test_an_impossible_rule_is_refused(db_session, slug, values, field):
    r = rule(db_session, slug)
    args = {"threshold": r.threshold, "delta_threshold": r.delta_threshold, "severity": r.severity,
            "active": r.active} | values
    with pytest.raises(DomainError) as e:
        alert_rules.update_rule(r, **args)
    assert e.value.field == field


def test_an_edit_is_audited_with_before_and_after(db_session):
    r = rule(db_session, "us-2023-moderately-concentrated")
    alert_rules.update_rule(r, threshold=1200, delta_threshold=None, severity="warning", active=False, notes="why")
    entry = db_session.execute(select(AuditEvent).where(AuditEvent.action == "concentration.rule_update")
                               .order_by(AuditEvent.id.desc())).scalars().first()
    assert entry.object_id == str(r.id)
    assert "1200" in entry.after and "1000" in entry.before


def test_a_category_below_the_minimum_coverage_is_not_assessed(market, db_session):
    d = dash.dashboard(CATEGORY, date(2026, 11, 24))
    assert d.figures.suppliers.hhi == pytest.approx(6250)  # far above every threshold…
    assert not d.assessment.assessed and d.assessment.alerts == ()  # … over 4 of the trusts in scope
    assert d.assessment.note == f"Not assessed: coverage {d.figures.coverage:.0f} % (the rules apply from 60 %)"


def test_the_dashboard_raises_the_active_rules_alerts(market, db_session, assess_any_coverage):
    d = dash.dashboard(CATEGORY, date(2026, 11, 24))
    fired = {a.rule.slug for a in d.assessment.alerts}
    assert "us-2023-highly-concentrated" in fired  # HHI by supplier 6,250
    assert "uk-2010-highly-concentrated" not in fired  # off by default
    r = rule(db_session, "us-2023-highly-concentrated")
    alert_rules.update_rule(r, threshold=7000, delta_threshold=None, severity="high", active=True)
    d = dash.dashboard(CATEGORY, date(2026, 11, 24))
    assert "us-2023-highly-concentrated" not in {a.rule.slug for a in d.assessment.alerts}


def test_the_rise_since_the_previous_quarter_feeds_the_rise_rules(market, make, db_session, assess_any_coverage):
    # A new deployment in the current quarter moves the HHI.
    make.deployment(make.org(trust_type=TRUST_TYPE), market.a, since=date(2026, 10, 15))
    d = dash.dashboard(CATEGORY, date(2026, 11, 24))
    assert d.rise == pytest.approx(d.series[-1].figures.suppliers.hhi - d.series[-2].figures.suppliers.hhi)
    assert d.rise > 100
    assert "us-2023-significant-rise" in {a.rule.slug for a in d.assessment.alerts}
