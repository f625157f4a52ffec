"""Forms of the offers domain. Business rules are checked by the services, not here."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from app.web.fields import WholeNumberField as IntegerField

from .rules import pounds_to_pence
from .vocab import PRICING_MODELS, VAT_TREATMENTS


def _count(label: str, high: int):
    return IntegerField(label, validators=[InputRequired(f"Enter the {label.lower()}"),
                                           NumberRange(0, high, f"{label} must be between 0 and {high:,}")])


class OfferForm(FlaskForm):
    lot = SelectField("Lot", coerce=int, validate_choice=False, validators=[DataRequired("Choose a lot")])
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    summary = TextAreaField("Summary", description="One or two sentences shown in search results",
                            validators=[DataRequired("Enter a summary"), Length(max=500)])
    description = TextAreaField("Description", description="What you offer, how, and what a follower gets. "
                                "You can use Markdown: **bold**, lists, links.",
                                validators=[Optional(), Length(max=20000)])
    category = SelectField("Capability", validators=[DataRequired("Choose a capability")])
    systems = SelectMultipleField("Systems this offer is about", choices=[],
                                  description="Only the systems your trust runs live are listed")
    pricing_model = RadioField("Pricing model", choices=[SelectChoice(v, label) for v, label in PRICING_MODELS.items()],
                               validators=[DataRequired("Choose a pricing model")])
    price = StringField("Price in pounds", description="For example, 950 or 12,500.00",
                        validators=[DataRequired("Enter a price")])
    vat = RadioField("VAT", choices=[SelectChoice(v, label) for v, label in VAT_TREATMENTS.items()],
                     validators=[DataRequired("Choose how VAT applies")])
    capacity_per_quarter = _count("Followers you can take on per quarter", 1000)
    capacity_committed = _count("Followers already committed this quarter", 1000)
    lead_time_weeks = _count("Lead time in weeks", 520)
    regions = SelectMultipleField("Regions served", choices=[])
    evidence_links = TextAreaField("Evidence", description="Web addresses, one per line",
                                   validators=[Optional(), Length(max=5000)])
    blueprint_links = TextAreaField("Blueprints", description="Web addresses, one per line",
                                    validators=[Optional(), Length(max=5000)])
    contact_name = StringField("Contact name", validators=[DataRequired("Enter a contact name"), Length(max=200)])
    contact_email = EmailField("Contact email", validators=[DataRequired("Enter a contact email address"),
                                                           Email("Enter an email address like name@nhs.net"),
                                                           Length(max=254)])

    def validate_price(self, field):
        if pounds_to_pence(field.data) is None:
            raise ValidationError("Enter the price in pounds, like 950 or 12,500.00")

    @property
    def price_pence(self) -> int | None:
        return pounds_to_pence(self.price.data)


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Reason (optional)", validators=[Optional(), Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A button with a CSRF token (publish)."""


class CategoryForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter a name"), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    system_specific = BooleanField("Offers of this capability are about a particular system")
    active = BooleanField("Can be chosen for offers", default=True)
