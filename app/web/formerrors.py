"""Showing a domain error on the form that caused it: every problem at once, each on its field."""
from __future__ import annotations

from typing import Callable, Iterable

from app.errors import DomainError
from app.extensions import db


def show_on_form(form, error: DomainError) -> None:
    """Roll back the failed change and put each of the error's problems on its field."""
    db.session.rollback()
    show_problems(form, error.problems)


def show_problems(form, problems: Iterable[tuple[str | None, str]]) -> None:
    """Put each message on the named field (shown there, and linked from the error summary), or on
    the whole form when no field is named. A field already showing a message keeps it as its first:
    the summary gives one message a field, the first found. A name that is no field of the form is
    an input the page writes itself (a weight per question): its message goes in
    `form.input_errors`, which the summary links to and the page shows at that input."""
    for name, message in problems:
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            if message not in field.errors:
                field.errors = list(field.errors) + [message]
        elif name:
            inputs = form.__dict__.setdefault("input_errors", {})
            inputs.setdefault(name, message)
        elif message not in form.form_errors:
            form.form_errors.append(message)


def validate_all(form, rules: Callable[[], Iterable[tuple[str | None, str]]]) -> bool:
    """On a submitted form, the form's own checks and the service's rules together (`rules` returns
    the service's problems with what was typed), so every problem shows on the first submission
    rather than one stage at a time. True when there is none."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    problems = list(rules())
    show_problems(form, problems)
    return valid and not problems
