"""Demo content for the concentration domain: the alert rules, defaulting to the published
competition-authority thresholds in seed/concentration_alert_rules.csv (copied, with their source
URLs, from ../shared/data/hhi_thresholds.csv). The figures themselves need no demo data: they are
computed from the register's deployments, memberships and partnerships."""
from app.concentration.services.alert_rules import load_default_rules, read_defaults


def load(loader) -> None:
    """Add the missing default alert rules (idempotent by slug); the caller commits."""
    rows = read_defaults()
    created = {r.slug for r in load_default_rules(rows)}
    for r in rows:
        loader.report.add("alert rule", r["slug"] in created)
