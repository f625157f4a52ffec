"""Small query helpers shared by list pages."""
from __future__ import annotations

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


def paginate(stmt, per_page: int | None = None):
    return db.paginate(stmt, page=page_arg(), per_page=per_page or current_app.config["PAGE_SIZE"],
                       error_out=False, count=True)


def get_or_404(model, **by):
    from sqlalchemy import select

    obj = db.session.execute(select(model).filter_by(**by)).unique().scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
