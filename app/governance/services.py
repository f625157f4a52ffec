"""The governance domain's services, in one place for other domains and the CLI.

Admissions (admission/services.py), reviews and feedback (reviews/services.py), funding agreements
(funding/services.py), check-ins and releases (checkins/services.py). Every service checks its rules,
records the audit entry and flushes; the caller commits.
"""
from .admission.services import (  # noqa: F401
    active_criteria,
    add_criterion,
    add_default_criteria,
    application_problem,
    assess,
    decide,
    decide_membership,
    live_deployments,
    open_application,
    set_criterion_active,
    submit_application,
    update_criterion,
)
from .checkins.services import (  # noqa: F401
    find_checkin,
    release_problem,
    release_tranche,
    resubmit_checkin,
    review_checkin,
    submit_checkin,
)
from .funding.services import (  # noqa: F401
    PlannedTranche,
    add_condition,
    agreement_totals_consistent,
    close_agreement,
    create_agreement,
    programme_by_slug,
    set_condition_active,
    suggest_reference,
    update_agreement,
    update_condition,
)
from .clock import london_today  # noqa: F401
from .reviews.services import (  # noqa: F401
    ReviewEvidence,
    latest_review,
    rate_partnership,
    record_review,
    review_evidence,
)
