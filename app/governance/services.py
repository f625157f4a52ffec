"""The governance domain's services, in one place for other domains and the CLI.

Admissions (services_admission), reviews and feedback (services_review), funding agreements
(services_funding), check-ins and releases (services_checkin). Every service checks its rules,
records the audit entry and flushes; the caller commits.
"""
from .services_admission import (  # noqa: F401
    active_criteria,
    add_criterion,
    add_default_criteria,
    application_problem,
    assess,
    decide,
    live_deployments,
    open_application,
    set_criterion_active,
    submit_application,
    update_criterion,
)
from .services_checkin import (  # noqa: F401
    find_checkin,
    release_problem,
    release_tranche,
    resubmit_checkin,
    review_checkin,
    submit_checkin,
)
from .services_funding import (  # noqa: F401
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
from .services_review import (  # noqa: F401
    ReviewEvidence,
    latest_review,
    london_today,
    rate_partnership,
    record_review,
    review_evidence,
)
