"""Every form speaks the NHS way: WTForms' stock messages ("This field is required.", "Not a valid
integer value.", "'x' is not a valid choice for this field.") never reach a person; each message
names its field ("The response period must be a whole number", "Select the lot")."""
from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, EmailField, FieldList, FloatField,
                     FormField, IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     TextAreaField, TimeField, URLField)
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, NumberRange, Regexp

import app as app_package
from app.web import fields
from app.web.fields import FlaskForm, Form, nhs_message

STOCK = re.compile(r"Not a valid|This field is required|not a valid choices? for this field|^Invalid "
                   r"|^Number must be|^Field (must|cannot) be|^Date must be")


def test_every_stock_message_has_its_nhs_wording_keeping_the_placeholders():
    for stock in fields._MESSAGES:
        said = nhs_message(stock, "Price weight (%)")
        assert said and not STOCK.search(said), stock
        for placeholder in re.findall(r"%\((?:min|max)\)[sd]", stock):  # the limits are always said
            if "{n}" not in fields._MESSAGES[stock]:
                assert placeholder in said, (stock, said)
        said % {"min": 1, "max": 2, "value": "x", "values": "x", "other_name": "x"}  # formats cleanly


def test_a_label_reads_as_the_subject_of_the_sentence():
    assert nhs_message("Not a valid integer value.", "Response period (working days)") == \
        "The response period must be a whole number"
    assert nhs_message("This field is required.", "ODS code of the trust") == "Enter the ODS code of the trust"
    assert nhs_message("This field is required.", "Your question") == "Enter your question"
    assert nhs_message("Not a valid choice.", "Lot", choice=True) == "Select the lot"
    assert nhs_message("Field cannot be longer than %(max)d characters.", "Title", n=20000) == \
        "The title must be 20,000 characters or fewer"
    assert nhs_message("Number must be between %(min)s and %(max)s.", "Weight (%)") % {"min": 0, "max": 9} == \
        "The weight must be between 0 and 9"


class _Row(Form):
    amount = IntegerField("Amount", validators=[InputRequired()])


class _EveryKind(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=5)])
    code = StringField("Short name", validators=[Regexp(r"^[a-z]+$")])
    count = IntegerField("Number of trusts", validators=[NumberRange(min=0)])
    weight = IntegerField("Weight (%)", validators=[NumberRange(0, 100)])
    price = DecimalField("Price", validators=[InputRequired()])
    ratio = FloatField("Ratio")
    starts = DateField("Start date")
    at = DateTimeLocalField("Meeting time")
    clock = TimeField("Deadline time")
    lot = SelectField("Lot", choices=[SelectChoice("1", "Lot 1")])
    kind = RadioField("Kind of trust", choices=[SelectChoice("a", "Acute")])
    regions = SelectMultipleField("Regions served", choices=[SelectChoice("r", "North")])
    email = EmailField("Contact email", validators=[Email()])
    site = URLField("Source", validators=[URL()])
    note = TextAreaField("Note", validators=[Length(min=3)])
    agree = BooleanField("I agree", validators=[DataRequired()])
    rows = FieldList(FormField(_Row), min_entries=1)


def test_every_field_kind_says_what_is_wrong_in_nhs_style(app):
    bad = MultiDict({"name": "much too long", "code": "NO!", "count": "-12", "weight": "lots", "price": "",
                     "ratio": "x", "starts": "1 April", "at": "soon", "clock": "noonish", "lot": "9", "kind": "z",
                     "regions": "nowhere", "email": "not-an-address", "site": "not a url", "note": "ab",
                     "rows-0-amount": ""})
    with app.test_request_context(method="POST"):
        form = _EveryKind(bad, meta={"csrf": False})
        assert not form.validate()
        messages = {name: errs for name, errs in form.errors.items()}
    def flat(errors):
        for e in errors:
            if isinstance(e, dict):
                for inner in e.values():
                    yield from flat(inner)
            else:
                yield e

    said = [m for errs in messages.values() for m in flat(errs)]
    assert len(messages) == 17, messages
    assert [m for m in said if STOCK.search(m)] == []
    assert messages["count"] == ["The number of trusts must be 0 or more"]
    assert messages["weight"][0] == "The weight must be a whole number"  # the first, which the page shows
    assert messages["lot"] == ["Select the lot"] and messages["regions"] == ["Select the regions served"]
    assert messages["starts"] == ["The start date must be a real date"]
    assert messages["rows"] == [{"amount": ["Enter the amount"]}]


def _app_form_classes():
    for info in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(info.name)
    seen, todo = [], list(wtforms.Form.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("app.") and cls.__module__ != "app.web.fields":
            seen.append(cls)
    return seen


def test_every_form_of_the_app_speaks_the_nhs_way():
    """A form that derives from flask_wtf.FlaskForm or wtforms.Form directly would show WTForms'
    stock messages: every form class in app/ has the NHS-style messages."""
    classes = _app_form_classes()
    assert len(classes) > 40
    plain = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes  # WTForms joins every Meta of the MRO
                   if not any(issubclass(k.__dict__["Meta"], fields._NHSMeta) for k in c.__mro__ if "Meta" in k.__dict__))
    assert plain == []


@pytest.mark.parametrize("typed,expected", [("-12", "must be 1 or more"), ("twelve", "must be a whole number")])
def test_a_weight_that_is_not_one_says_why_on_its_input(typed, expected, client, login, make, db_session):
    from tests.formcheck import field_messages, summary_links

    from app.competitions.setup import services as setup
    from app.registry.models import FrameworkCriterion

    fw = make.framework(status="live", min_invitees=1, quality_weight_min=0, quality_weight_max=100)
    fw.criteria = [FrameworkCriterion(position=0, name="Capability")]
    buyer = make.user("follower_buyer")
    comp = setup.create_competition(buyer=buyer.organisation, lot=fw.lots[0], title="Weights", requirement="R",
                                    actor=buyer)
    db_session.commit()
    login(buyer)
    crit = fw.criteria[0]
    r = client.post(f"/competitions/{comp.id}/method", data={f"use_{crit.id}": "y", f"weight_{crit.id}": typed,
                                                             "price_weight": "-5", "scale_max": "4",
                                                             "threshold_percent": "0", "abnormally_low_percent": "25"})
    html = r.get_data(as_text=True)
    links = summary_links(html)
    assert expected in links[f"weight_{crit.id}"] and "Capability" in links[f"weight_{crit.id}"]
    assert links["price_weight"] == "The price weight must be between 0 and 100"  # at the same time
    assert f"weight_{crit.id}" in field_messages(html)
    assert "whole-number weight" not in html
