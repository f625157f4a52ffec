"""Showing a domain error on the form that caused it."""
from __future__ import annotations

from app.errors import DomainError
from app.extensions import db


def show_on_form(form, error: DomainError) -> None:
    """Roll back the failed change and put the message on the named field, or on the whole form."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
