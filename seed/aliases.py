"""The other names of suppliers and systems, abbreviations, synonyms and spellings that search
understands (app.registry.aliases), from the reviewed file seed/search_aliases.csv: each row
with its source. Idempotent: a row is matched on (kind, term, meaning)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.registry.aliases import ALIAS_KINDS, NameAlias, name_key
from app.registry.models import Supplier, System


def load(loader) -> None:
    from seed.load import read_csv

    suppliers = {s.slug: s for s in db.session.execute(select(Supplier)).scalars()}
    systems = {s.slug: s for s in db.session.execute(select(System)).unique().scalars()}
    existing = {(a.kind, a.term_key, a.means_key) for a in db.session.execute(select(NameAlias)).scalars()}
    for r in read_csv("search_aliases.csv"):
        if r["kind"] not in ALIAS_KINDS or not r["source"].strip():
            raise ValueError(f"search_aliases.csv: a row with an unknown kind or no source: {r}")
        key = (r["kind"], name_key(r["term"]), name_key(r["means"]))
        created = key not in existing
        loader.report.add("name alias", created)
        if not created:
            continue
        existing.add(key)
        db.session.add(NameAlias(
            kind=r["kind"], term=r["term"], means=r["means"], term_key=key[1], means_key=key[2],
            supplier=suppliers[r["supplier_slug"]] if r["supplier_slug"] else None,
            system=systems[r["system_slug"]] if r["system_slug"] else None,
            source=r["source"], source_url=r["source_url"], note=r["note"],
        ))
    db.session.flush()
