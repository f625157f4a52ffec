"""Notices' pages: the public notices of a call-off (no sign-in), and the buyer's review and
publication of a draft."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.permissions import can
from app.accounts.roles import FOLLOWER_BUYER
from app.errors import DomainError
from app.extensions import db
from app.web import commit, dashboard_panel
from app.web.formerrors import show_on_form

from .. import bp, clock, rules
from ..calendar import london_date
from ..models import Competition
from ..policy import competition_or_404
from . import services as notices
from .duties import duties
from .forms import PublishNoticeForm
from .models import Notice
from .rules import due_phrase


@bp.route("/<int:competition_id>/notices")
def notices_page(competition_id: int):
    """Public: every published notice of a call-off and its outcome, as the law makes them public.
    Drafts and competitions still in draft are not shown (404)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or competition.status == "draft" or competition.published_at is None:
        abort(404)
    published = notices.notices_of(competition, published_only=True)
    signed_in = getattr(current_user, "is_authenticated", False)
    manage = signed_in and can(current_user, "competitions.manage", competition)
    drafts = [n for n in notices.notices_of(competition) if n.status == "draft"] if manage else []
    status = competition.effective_status()
    return render_template("competitions/notices.html", competition=competition, published=published, drafts=drafts,
                           contents={n.id: notices.preview(n) for n in published}, status=status, rules=rules,
                           today=london_date(clock.now()), due_phrase=due_phrase,
                           may_view=signed_in and can(current_user, "competitions.view", competition))


@bp.route("/<int:competition_id>/notices/<int:notice_id>", methods=["GET", "POST"])
def notice(competition_id: int, notice_id: int):
    """The buyer reviews a draft, regenerated from the record as it is now, and publishes it."""
    competition = competition_or_404(competition_id, "competitions.manage")
    item = db.session.get(Notice, notice_id)
    if item is None or item.competition_id != competition.id:
        abort(404)
    form = PublishNoticeForm()
    if item.status == "draft" and form.validate_on_submit():
        try:
            notices.publish(item, actor=current_user)
            commit()
            flash(f"The {item.title.lower()} is published.", "success")
            return redirect(url_for("competitions.notices_page", competition_id=competition.id))
        except DomainError as e:
            show_on_form(form, e)
            item = db.session.get(Notice, notice_id)
    return render_template("competitions/notice.html", competition=competition, notice=item, form=form,
                           content=notices.preview(item), problem=notices.publication_problem(item)
                           if item.status == "draft" else None, today=london_date(clock.now()), due_phrase=due_phrase)


@dashboard_panel(11)
def _duties_panel(user):
    """A buyer's Procurement Act duties: notices due and overdue, KPI assessments, ended contracts,
    conflicts assessments to finish."""
    if not user.has_role(FOLLOWER_BUYER) or user.organisation_id is None:
        return None
    items = [{"text": d.text, "href": d.href, "hint": "Overdue" if d.overdue else None}
             for d in duties(user.organisation_id, london_date(clock.now()))]
    return {"title": "Notices and contract duties", "items": items[:8],
            "empty": "Nothing is due: no notice to publish, no KPI assessment or contract end to record."}
