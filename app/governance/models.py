"""Models of the governance domain: admissions and reviews of exemplars, follower feedback, and
funding agreements with their conditions and check-ins."""
from .models_admission import (
    AdmissionAnswer,
    AdmissionApplication,
    AdmissionCriterion,
    AdmissionLink,
    AdmissionSystem,
    ExemplarReview,
    PartnershipRating,
)
from .models_funding import (
    AgreementCondition,
    CheckIn,
    CheckInRating,
    FundingAgreement,
    FundingProgramme,
    FundingTranche,
    FundingYear,
    ProgrammeCondition,
)

__all__ = [
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
