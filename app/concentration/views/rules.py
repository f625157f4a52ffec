"""The alert rules: each with its regime, the kind of its source and whether that was read; the
published thresholds they come from, including the UK's, which has none; and their editing."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.web.formerrors import show_on_form
from app.web.querying import get_or_404
from app.web import commit

from ..alerts import UK_CMA_NO_THRESHOLD
from ..forms import RuleForm
from ..models import ALERT_METRICS, SEVERITIES, SOURCE_KINDS, AlertRule
from ..services import alert_rules
from .. import bp


@bp.route("/alert-rules")
def rules():
    require("concentration.view_dashboard")
    return render_template("concentration/rules.html", rules=alert_rules.list_rules(), metrics=ALERT_METRICS,
                           severities=SEVERITIES, source_kinds=SOURCE_KINDS, regimes=alert_rules.regimes(),
                           may_edit=can(current_user, "concentration.edit_rules"), uk_cma=UK_CMA_NO_THRESHOLD,
                           min_coverage=alert_rules.min_coverage())


@bp.route("/alert-rules/<int:rule_id>/edit", methods=["GET", "POST"])
def edit_rule(rule_id: int):
    require("concentration.edit_rules")
    rule = get_or_404(AlertRule, id=rule_id)
    form = RuleForm(obj=rule)
    if form.validate_on_submit():
        try:
            alert_rules.update_rule(
                rule, threshold=float(form.threshold.data),
                delta_threshold=None if form.delta_threshold.data is None else float(form.delta_threshold.data),
                severity=form.severity.data, active=form.active.data, notes=form.notes.data or "",
                actor=current_user._get_current_object())
            commit()
            flash(f"Alert rule ‘{rule.name}’ saved.", "success")
            return redirect(url_for("concentration.rules"))
        except DomainError as e:
            show_on_form(form, e)
            rule = get_or_404(AlertRule, id=rule_id)
    return render_template("concentration/rule_form.html", form=form, rule=rule, metrics=ALERT_METRICS,
                           source_kinds=SOURCE_KINDS)
