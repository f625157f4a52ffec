"""Models of the governance domain, gathered from its subjects: admissions and reviews of exemplars,
follower feedback, and funding agreements with their conditions and check-ins."""
from .admission.models import (AdmissionAnswer, AdmissionApplication, AdmissionCriterion, AdmissionLink, AdmissionSystem,
                               ApplicationDocument)
from .checkins.models import CheckIn, CheckInRating
from .funding.models import (
    AgreementCondition,
    FundingAgreement,
    FundingProgramme,
    FundingTranche,
    FundingYear,
    ProgrammeCondition,
)
from .reviews.models import ExemplarReview, PartnershipRating

__all__ = [
    "ApplicationDocument",
    "AdmissionAnswer",
    "AdmissionApplication",
    "AdmissionCriterion",
    "AdmissionLink",
    "AdmissionSystem",
    "AgreementCondition",
    "CheckIn",
    "CheckInRating",
    "ExemplarReview",
    "FundingAgreement",
    "FundingProgramme",
    "FundingTranche",
    "FundingYear",
    "PartnershipRating",
    "ProgrammeCondition",
]
