"""Other names of the register's suppliers and systems, and the words people search with.

NHS people search with the names they know: a supplier's former name (Cerner, now Oracle Health),
a product's old name (Medway, now CareFlow), an abbreviation (AVT for ambient voice technology),
or the American spelling (optimization). Each such name is a row of `name_aliases`, kept with its
source, loaded from the reviewed data file seed/search_aliases.csv.

An alias works both ways: a search for "Cerner" finds offers about Oracle Health, and a search for
"Oracle Health" finds an offer that still says Cerner. `why` says which, in words for the page.
"""
from __future__ import annotations

import re

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import check_in

#: Kinds of alias: what `term` is to `means`.
ALIAS_KINDS = {
    "former_name": "Former name",
    "other_name": "Other name",
    "abbreviation": "Abbreviation",
    "synonym": "Synonym",
    "spelling": "American spelling",
}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def name_key(text: str | None) -> str:
    """A name as search compares it: its words, lower-cased, one space apart ("Dedalus (ex-CSC)"
    → "dedalus ex csc")."""
    return " ".join(w.lower() for w in _WORD.findall(text or ""))


class NameAlias(db.Model):
    """Another name for something searchers look for: `term` (as people write it) stands for
    `means` (as the register and the offers write it), with the source that says so."""

    __tablename__ = "name_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    term: Mapped[str] = mapped_column(String(120))
    means: Mapped[str] = mapped_column(String(200))
    #: name_key(term) and name_key(means): what a search's words are compared with (indexed).
    term_key: Mapped[str] = mapped_column(String(120))
    means_key: Mapped[str] = mapped_column(String(200))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"), index=True)
    source: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    supplier = relationship("Supplier")
    system = relationship("System")

    __table_args__ = (
        CheckConstraint(check_in("kind", ALIAS_KINDS), name="kind_known"),
        CheckConstraint("source <> ''", name="source_given"),
        UniqueConstraint("kind", "term_key", "means_key"),
        Index("ix_name_aliases_term_key", "term_key"),
        Index("ix_name_aliases_means_key", "means_key"),
    )

    def why(self, matched_means: bool) -> str:
        """Why a hit matched, in words: `matched_means` when the hit has `means` (the search said
        `term`), else the hit has `term` (the search said `means`)."""
        if self.kind == "former_name":
            return f"{self.means}, formerly {self.term}" if matched_means else f"{self.term}, the former name of {self.means}"
        if self.kind == "other_name":
            return f"{self.means}, also known as {self.term}" if matched_means else f"{self.term}, another name for {self.means}"
        if self.kind == "abbreviation":
            return f"{self.means} ({self.term})" if matched_means else f"{self.term}, short for {self.means}"
        if self.kind == "spelling":
            return (f"{self.means}, the British spelling of {self.term}" if matched_means
                    else f"{self.term}, the American spelling of {self.means}")
        return f"{self.means}, a synonym of {self.term}" if matched_means else f"{self.term}, a synonym of {self.means}"

    def __repr__(self) -> str:
        return f"<NameAlias {self.kind} {self.term!r} → {self.means!r}>"


def all_aliases() -> list[NameAlias]:
    """Every alias (a few hundred at most: search matches runs of a query's words against them)."""
    return list(db.session.execute(select(NameAlias).order_by(NameAlias.id)).scalars())


def other_names(supplier_ids=(), system_ids=()) -> dict[tuple[str, int], list[NameAlias]]:
    """Former and other names of suppliers and systems, keyed ("supplier", id) or ("system", id)."""
    out: dict[tuple[str, int], list[NameAlias]] = {}
    conds = []
    if supplier_ids:
        conds.append(NameAlias.supplier_id.in_(list(supplier_ids)))
    if system_ids:
        conds.append(NameAlias.system_id.in_(list(system_ids)))
    if not conds:
        return out
    for a in db.session.execute(select(NameAlias).where(or_(*conds), NameAlias.kind.in_(("former_name", "other_name")))
                                .order_by(NameAlias.term)).scalars():
        if a.supplier_id is not None and a.system_id is None:  # a product's old name is not its supplier's
            out.setdefault(("supplier", a.supplier_id), []).append(a)
        if a.system_id is not None:
            out.setdefault(("system", a.system_id), []).append(a)
    return out


def name_match(q: str | None, name: str, aliases: list[NameAlias]) -> str | None:
    """Whether the words `q` find a supplier or system by its name or one of its other names:
    None when they do not, "" when the name has them, else why ("formerly Cerner")."""
    key = name_key(q)
    if not key:
        return ""
    if key in name_key(name):
        return ""
    for a in aliases:
        if key in a.term_key:
            return f"{'formerly' if a.kind == 'former_name' else 'also known as'} {a.term}"
    return None


def described(aliases: list[NameAlias]) -> str:
    """Other names in a phrase: "formerly Cerner; also known as Oracle Cerner"."""
    former = [a.term for a in aliases if a.kind == "former_name"]
    other = [a.term for a in aliases if a.kind == "other_name"]
    parts = ([f"formerly {', '.join(former)}"] if former else []) + ([f"also known as {', '.join(other)}"] if other else [])
    return "; ".join(parts)
