"""The audit log's filters, as a form read from the address (GET), so a mistyped date is said
rather than silently ignored."""
from __future__ import annotations

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.web.fields import FlaskForm

from .words import object_label


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search: read from the address, changes nothing

    q = StringField("Words in the summary, or object id", validators=[Optional(), Length(max=200)])
    action = StringField("What was done", description="For example, publish, or offer.publish",
                         validators=[Optional(), Length(max=80)])
    actor = StringField("Who", description="Part of a name or an email address",
                        validators=[Optional(), Length(max=200)])
    object_type = SelectField("Kind of object", choices=[], validators=[Optional()])
    since = DateField("From date", description="For example, 2026-12-01", format="%Y-%m-%d",
                      validators=[Optional()])
    until = DateField("To date", description="For example, 2026-12-31", format="%Y-%m-%d",
                      validators=[Optional()])

    def set_kinds(self, object_types) -> None:
        """The kinds of object the log holds, in people's words (alphabetical by those words)."""
        self.object_type.choices = [("", "All")] + sorted(((t, object_label(t)) for t in object_types),
                                                          key=lambda c: c[1].lower())

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The to date must be the same as or after the from date")
