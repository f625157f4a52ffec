"""What the governance forms share: the length of long answers, choices from a vocabulary, and the
plain confirmation form."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import SelectChoice


LONG = 5000


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for one-button actions."""
