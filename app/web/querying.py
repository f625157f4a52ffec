"""Small query helpers shared by list pages."""
from __future__ import annotations

from math import ceil

from flask import abort, current_app, request

from app.extensions import db


def like_pattern(text: str) -> str:
    """A LIKE pattern that matches `text` literally anywhere (escape char: backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


MAX_PAGE = 100_000


def page_arg() -> int:
    """The ?page= number; anything not a page number (or absurdly large, which would overflow the
    database's OFFSET) is page 1."""
    page = request.args.get("page", 1, type=int)
    return page if page and 0 < page <= MAX_PAGE else 1


class Paged:
    """What the pagination component needs (pages, has_prev, has_next, prev_num, next_num), from a
    class's `page`, `per_page` and `total`: one rule for search results and a table's pages."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(stmt, per_page: int | None = None):
    return db.paginate(stmt, page=page_arg(), per_page=per_page or current_app.config["PAGE_SIZE"],
                       error_out=False, count=True)


def get_or_404(model, **by):
    from sqlalchemy import select

    obj = db.session.execute(select(model).filter_by(**by)).unique().scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
