"""The canonical catalogue of suppliers and systems, and the reviewed tables that map the EPR map's
wording onto it.

A *product* (Epic, Oracle Health Millennium, Dedalus Lorenzo …) becomes one system per category it
is used in (Lorenzo at acute trusts and at mental health trusts are two systems of the register,
because each system has one category). A row that names a supplier but not its product maps to that
supplier's EPR "(product not stated)" in the row's category: a system made here, never a guess at
the product. The source's wording is kept beside the deployment as source text.
"""
from __future__ import annotations

from .common import F_MAPPING, F_SUPPLIER_MAPPING, BuildError

SYSTEM_CATEGORIES = (
    "acute_epr", "mental_health_epr", "community_epr", "ambulance_epr", "pas",
    "eprescribing", "shared_care_record",
)
STANDARDS = ("FHIR_UK_CORE", "HL7V2", "SNOMED_CT", "DMD", "DCB0129", "DSPT", "DTAC")

#: The EPR map's care settings: the category of a row's system and the type of its trust.
CARE_SETTINGS: dict[str, tuple[str, str]] = {
    "acute": ("acute_epr", "acute"),
    "specialist": ("acute_epr", "specialist"),
    "mental health": ("mental_health_epr", "mental_health"),
    "community": ("community_epr", "community"),
    "ambulance": ("ambulance_epr", "ambulance"),
}
CATEGORY_WORDS = {
    "acute_epr": ("acute-epr", "acute EPR"),
    "mental_health_epr": ("mental-health-epr", "mental health EPR"),
    "community_epr": ("community-epr", "community EPR"),
    "ambulance_epr": ("ambulance-epr", "ambulance ePR"),
}

#: The mapping table's word for "the supplier's EPR, product not stated".
NOT_STATED = "not-stated"

SUPPLIERS: list[tuple[str, str]] = [
    ("access-group", "The Access Group"),
    ("alcidion", "Alcidion"),
    ("altera", "Altera Digital Health"),
    ("cambio", "Cambio"),
    ("cgi", "CGI"),
    ("civica", "Civica"),
    ("cleric", "Cleric"),
    ("dedalus", "Dedalus"),
    ("epic", "Epic Systems"),
    ("fortrus", "Fortrus"),
    ("graphnet", "Graphnet"),
    ("ims-maxims", "IMS MAXIMS"),
    ("in-house", "In-house or generic"),
    ("intersystems", "InterSystems"),
    ("meditech", "MEDITECH"),
    ("medusa", "Medusa"),
    ("nervecentre", "Nervecentre"),
    ("oneadvanced", "OneAdvanced"),
    ("oracle-health", "Oracle Health"),
    ("ortivus", "Ortivus"),
    ("quadramed", "QuadraMed"),
    ("servelec", "Servelec"),
    ("system-c", "System C"),
    ("tpp", "TPP"),
]

# Standards are deliberately conservative: only what is broadly true of the product, declared for
# demo purposes. A system whose product is not stated declares nothing.
_EPR_CORE = ("HL7V2", "SNOMED_CT", "DMD", "DCB0129", "DSPT")
_EPR_FHIR = ("FHIR_UK_CORE",) + _EPR_CORE
_MH = ("SNOMED_CT", "DCB0129", "DSPT")

#: slug, name, supplier slug, categories (the first is the product's home), standards.
PRODUCTS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("altera-sunrise", "Altera Sunrise", "altera", ("acute_epr",), _EPR_CORE),
    ("dedalus-lorenzo", "Dedalus Lorenzo", "dedalus", ("acute_epr", "mental_health_epr"), _EPR_CORE),
    ("epic-ehr", "Epic", "epic", ("acute_epr", "mental_health_epr"), _EPR_FHIR),
    ("ims-maxims-openmaxims", "IMS MAXIMS openMAXIMS", "ims-maxims", ("acute_epr",),
     ("HL7V2", "SNOMED_CT", "DCB0129", "DSPT")),
    ("in-house", "In-house build", "in-house", ("acute_epr",), ()),
    ("intersystems-trakcare", "InterSystems TrakCare", "intersystems", ("acute_epr",), _EPR_FHIR),
    ("meditech-expanse", "MEDITECH Expanse", "meditech", ("acute_epr",), _EPR_CORE),
    ("nervecentre-epr", "Nervecentre EPR", "nervecentre", ("acute_epr",), _EPR_FHIR),
    ("oneadvanced-carenotes", "CareNotes", "oneadvanced", ("mental_health_epr",), _MH),
    ("oracle-health-millennium", "Oracle Health Millennium", "oracle-health", ("acute_epr",), _EPR_FHIR),
    ("servelec-rio", "RiO", "servelec", ("mental_health_epr",), _MH),
    ("system-c-careflow", "System C CareFlow (Medway)", "system-c", ("acute_epr",), _EPR_FHIR),
    ("tpp-systmone", "SystmOne", "tpp", ("community_epr", "acute_epr"), ("SNOMED_CT", "DMD", "DCB0129", "DSPT")),
]


def _system_row(slug: str, name: str, supplier: str, category: str, standards: tuple[str, ...]) -> dict[str, str]:
    bad = [s for s in standards if s not in STANDARDS]
    if bad:
        raise BuildError(f"system {slug}: unknown standards {bad}")
    if category not in SYSTEM_CATEGORIES:
        raise BuildError(f"system {slug}: unknown category {category}")
    return {"slug": slug, "name": name, "supplier_slug": supplier, "category": category,
            "standards": ";".join(s for s in STANDARDS if s in standards)}  # canonical order


class Catalogue:
    """Suppliers and systems; `system_for` resolves a mapped product in a category to its system,
    making a supplier's "(product not stated)" system the first time one is needed."""

    def __init__(self) -> None:
        self.suppliers = dict(SUPPLIERS)
        self.systems: dict[str, dict[str, str]] = {}
        self.by_product: dict[tuple[str, str], str] = {}
        for slug, name, supplier, categories, standards in PRODUCTS:
            if supplier not in self.suppliers:
                raise BuildError(f"product {slug}: unknown supplier {supplier}")
            for i, category in enumerate(categories):
                words = CATEGORY_WORDS.get(category, (category, category))
                system_slug = slug if i == 0 else f"{slug}-{words[0]}"
                system_name = name if i == 0 else f"{name} ({words[1]})"
                self.systems[system_slug] = _system_row(system_slug, system_name, supplier, category, standards)
                self.by_product[(slug, category)] = system_slug

    def system_for(self, product: str, category: str, supplier: str | None) -> str:
        """The system slug of `product` in `category`; NOT_STATED needs the row's supplier."""
        if product == NOT_STATED:
            if supplier is None:
                raise BuildError("a row with no supplier cannot map to a supplier's EPR")
            words = CATEGORY_WORDS.get(category)
            if words is None:
                raise BuildError(f"no 'product not stated' system is made for category {category}")
            slug = f"{supplier}-{words[0]}-not-stated"
            if slug not in self.systems:
                name = f"{self.suppliers[supplier]} {words[1]} (product not stated)"
                self.systems[slug] = _system_row(slug, name, supplier, category, ())
            return slug
        try:
            return self.by_product[(product, category)]
        except KeyError:
            raise BuildError(f"the catalogue has no {category} system for product {product!r}: add the "
                             f"category to the product in catalogue.PRODUCTS if the source supports it") from None

    def tables(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """suppliers.csv and systems.csv rows, sorted by slug."""
        suppliers = [{"slug": s, "name": n} for s, n in sorted(self.suppliers.items())]
        return suppliers, [self.systems[s] for s in sorted(self.systems)]


def load_supplier_mapping(rows: list[dict[str, str]], catalogue: Catalogue) -> dict[str, str | None]:
    """supplier_text → supplier slug, or None for rows naming no supplier (none, unknown)."""
    mapping: dict[str, str | None] = {}
    for m in rows:
        text, slug, note = m["supplier_text"], m["supplier_slug"].strip(), m["note"].strip()
        if text in mapping:
            raise BuildError(f"{F_SUPPLIER_MAPPING}: duplicate row for {text!r}")
        if slug and slug not in catalogue.suppliers:
            raise BuildError(f"{F_SUPPLIER_MAPPING}: {text!r} maps to unknown supplier {slug!r}")
        if not note:
            raise BuildError(f"{F_SUPPLIER_MAPPING}: {text!r} needs a note saying why")
        mapping[text] = slug or None
    return mapping


def parse_target(text: str) -> tuple[str, str | None]:
    """One target of the product mapping: 'product', 'product:category', 'not-stated' or
    'not-stated:category' (a category that differs from the row's care setting)."""
    product, _, category = text.strip().partition(":")
    if category and category not in SYSTEM_CATEGORIES:
        raise BuildError(f"{F_MAPPING}: unknown category {category!r} in {text!r}")
    return product, category or None


def load_product_mapping(rows: list[dict[str, str]], catalogue: Catalogue) -> dict[tuple[str, str], dict]:
    """(supplier_text, product_text) → {"targets": [(product, category or None)], "note": …}.
    An empty target list means "no deployment", and the note must say why."""
    products = {p for p, _ in catalogue.by_product} | {NOT_STATED}
    mapping: dict[tuple[str, str], dict] = {}
    for m in rows:
        key = (m["supplier_text"], m["product_text"])
        if key in mapping:
            raise BuildError(f"{F_MAPPING}: duplicate row for {key}")
        targets = [parse_target(t) for t in m["system_slug"].split(";") if t.strip()]
        for product, _ in targets:
            if product not in products:
                raise BuildError(f"{F_MAPPING}: {key} maps to unknown product {product!r}")
        if not m["note"].strip():
            raise BuildError(f"{F_MAPPING}: row {key} needs a note saying why")
        mapping[key] = {"targets": targets, "note": m["note"].strip()}
    return mapping
