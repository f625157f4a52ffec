"""Controlled vocabularies of the register, with their labels for screens and exports."""
from __future__ import annotations

ORG_KINDS = {"region": "NHS England region", "icb": "Integrated care board", "trust": "NHS trust",
             "national": "National body"}

TRUST_TYPES = {
    "acute": "Acute",
    "mental_health": "Mental health",
    "community": "Community",
    "ambulance": "Ambulance",
    "specialist": "Specialist",
}

SYSTEM_CATEGORIES = {
    "acute_epr": "Acute EPR",
    "mental_health_epr": "Mental health EPR",
    "community_epr": "Community EPR",
    "ambulance_epr": "Ambulance ePR",
    "pas": "Patient administration system",
    "eprescribing": "E-prescribing",
    "shared_care_record": "Shared care record",
}

STANDARDS = {
    "FHIR_UK_CORE": "FHIR UK Core",
    "HL7V2": "HL7 v2",
    "SNOMED_CT": "SNOMED CT",
    "DMD": "dm+d",
    "DCB0129": "DCB0129 clinical safety",
    "DSPT": "Data Security and Protection Toolkit",
    "DTAC": "Digital Technology Assessment Criteria",
}

DEPLOYMENT_STATUSES = {"planned": "Planned", "live": "Live", "retiring": "Retiring", "ended": "Ended"}
CONFIDENCE = {"high": "High", "medium": "Medium", "low": "Low", "unrated": "Not rated"}

FRAMEWORK_STATUSES = {
    "draft": "Draft",
    "open": "Open for applications",
    "live": "Live",
    "expired": "Expired",
}

MEMBERSHIP_STATUSES = {
    "applied": "Applied",
    "admitted": "Admitted",
    "suspended": "Suspended",
    "removed": "Removed",
    "rejected": "Rejected",
}

#: Whether call-offs under a framework use a voluntary standstill (Procurement Act 2023 s51: not
#: mandatory for a call-off), and whether the buyer may vary it.
STANDSTILL_RULES = {
    "none": "No standstill: call-offs go straight to contract",
    "fixed": "A voluntary standstill of the default length, which buyers may not shorten or skip",
    "flexible": "A voluntary standstill of the default length, which buyers may shorten or skip with a reason",
}

#: The exclusion register: suppliers excluded (s57) or on the debarment list (s62).
EXCLUSION_KINDS = {"excluded": "Excluded supplier", "debarred": "On the debarment list"}
EXCLUSION_GROUNDS = {
    "mandatory": "Mandatory exclusion ground (Schedule 6)",
    "discretionary": "Discretionary exclusion ground (Schedule 7)",
}
