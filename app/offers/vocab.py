"""Controlled vocabularies of the offers domain, with their labels for screens and exports."""
from __future__ import annotations

OFFER_STATUSES = {"draft": "Draft", "published": "Published", "withdrawn": "Withdrawn"}

PRICING_MODELS = {"day_rate": "Day rate", "fixed_price": "Fixed price", "per_bed": "Per bed"}

#: What the price says about VAT. NHS-to-NHS services are often outside the scope of VAT.
VAT_TREATMENTS = {
    "exclusive": "Plus VAT",
    "inclusive": "Including VAT",
    "exempt": "VAT exempt",
    "outside_scope": "Outside the scope of VAT",
}

#: What a price is for, after the amount: "£950 a day", "£12,500 fixed price", "£120 a bed".
PRICE_UNITS = {"day_rate": "a day", "fixed_price": "fixed price", "per_bed": "a bed"}

#: VAT in the middle of a sentence ("£950 a day, plus VAT"): VAT keeps its capitals.
VAT_IN_A_SENTENCE = {
    "exclusive": "plus VAT",
    "inclusive": "including VAT",
    "exempt": "VAT exempt",
    "outside_scope": "outside the scope of VAT",
}

#: The catalogue the migration starts with: (slug, name, system-specific, description).
CAPABILITY_CATALOGUE = [
    ("epr-deployment", "EPR deployment support", True,
     "Help to procure, configure, test and go live with an electronic patient record."),
    ("epr-optimisation", "EPR optimisation", True,
     "Help to get more from an EPR already live: build, workflows, adoption, benefits."),
    ("clinical-decision-support-ai", "Clinical decision support and AI", False,
     "Decision support, alerts, pathways and assured use of AI in clinical settings."),
    ("ambient-voice", "Ambient voice technology", False,
     "Choosing, governing and rolling out ambient voice and scribe tools."),
    ("federated-data-platform", "Federated data platform use cases", False,
     "Putting federated data platform products to work for operational and population health use cases."),
    ("digital-medicines", "Digital medicines", False,
     "Electronic prescribing and medicines administration, closed-loop medicines, dm+d."),
    ("vcse-support", "VCSE support", False,
     "Working with voluntary, community and social enterprise partners on digital inclusion and services."),
    ("cyber-security", "Cyber security", False,
     "Cyber resilience, DSPT assurance, incident readiness and recovery."),
    ("infrastructure", "Infrastructure", False,
     "Networks, devices, hosting and cloud, identity and access."),
    ("change-management-training", "Change management and training", False,
     "Clinical engagement, training design and delivery, super-user networks, go-live support."),
]
