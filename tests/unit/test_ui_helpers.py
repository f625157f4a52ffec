"""Display helpers (app/web/formatting.py) and the NHS.UK page layout (app/web/fields.py,
app/web/site/templating.py, components.py, display.py, templates/).

The formatting tests are pure. The render tests build a throwaway Flask app with only the
templates and app.web.site.templating, no database, so they also show that base.html and the error pages
render for an anonymous user without anything else of the app.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Blueprint, Flask, flash, render_template, render_template_string
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.web import fields
from app.web import formatting as fmt
from app.web.site import components, display, templating

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (123456, "£1,234.56"),
        (0, "£0"),
        (5, "£0.05"),
        (100, "£1"),
        (120050, "£1,200.50"),
        (123456789012, "£1,234,567,890.12"),
        (-1250, "-£12.50"),
    ],
)
def test_money_shows_pounds_and_pence_only_when_there_are_pence(pence, shown):
    assert fmt.money(pence) == shown


def test_money_of_none_is_empty_so_templates_can_choose_the_placeholder():
    assert fmt.money(None) == ""
    assert fmt.money_whole(None) == ""


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(120000, "£1,200"), (0, "£0"), (120050, "£1,200.50"), (-500, "-£5"), (1, "£0.01")],
)
def test_money_whole_drops_pence_only_when_they_are_zero(pence, shown):
    assert fmt.money_whole(pence) == shown


@pytest.mark.parametrize("bad", [12.5, Decimal("12.50"), True, "1200"])
def test_money_refuses_anything_but_integer_pence(bad):
    with pytest.raises(TypeError):
        fmt.money(bad)
    with pytest.raises(TypeError):
        fmt.money_whole(bad)


def test_number_adds_thousands_separators():
    assert fmt.number(1234567) == "1,234,567"
    assert fmt.number(0) == "0"
    assert fmt.number(None) == ""
    assert fmt.number(12.25) == "12.2"


# ---------------------------------------------------------------------------
# Dates and times (stored in UTC, shown in Europe/London)
# ---------------------------------------------------------------------------


def test_london_date_is_written_out_in_full():
    assert fmt.london_date(date(2026, 12, 12)) == "Saturday 12 December 2026"
    assert fmt.london_date(date(2026, 3, 1)) == "Sunday 1 March 2026"
    assert fmt.london_date(None) == ""


def test_a_late_evening_utc_time_in_summer_is_the_next_day_in_london():
    # 23:30 UTC on 30 June is 00:30 BST on 1 July.
    assert fmt.london_date(datetime(2026, 6, 30, 23, 30)) == "Wednesday 1 July 2026"
    assert fmt.iso_date(datetime(2026, 6, 30, 23, 30)) == "2026-07-01"


def test_times_before_the_clocks_go_forward_are_gmt():
    # The clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    assert fmt.london_datetime(datetime(2026, 3, 29, 0, 30)) == "12:30am, Sunday 29 March 2026"


def test_times_after_the_clocks_go_forward_are_bst():
    assert fmt.london_datetime(datetime(2026, 3, 29, 1, 0)) == "2am, Sunday 29 March 2026"
    assert fmt.london_datetime(datetime(2026, 3, 29, 14, 0)) == "3pm, Sunday 29 March 2026"


def test_times_either_side_of_the_clocks_going_back():
    # The clocks go back at 01:00 UTC on Sunday 25 October 2026.
    assert fmt.london_datetime(datetime(2026, 10, 25, 0, 30)) == "1:30am, Sunday 25 October 2026"
    assert fmt.london_datetime(datetime(2026, 10, 25, 1, 30)) == "1:30am, Sunday 25 October 2026"
    assert fmt.london_datetime(datetime(2026, 10, 25, 15, 0)) == "3pm, Sunday 25 October 2026"


def test_winter_times_are_the_same_as_utc():
    assert fmt.london_datetime(datetime(2026, 12, 11, 15, 0)) == "3pm, Friday 11 December 2026"
    assert fmt.london_datetime(datetime(2026, 12, 11, 15, 5)) == "3:05pm, Friday 11 December 2026"


def test_midday_is_a_word_and_midnight_is_the_end_of_the_day_before():
    """ "midnight, Tuesday 15 December" reads as the end of the Tuesday; 00:00 on the 15th is the
    end of Monday 14 December."""
    assert fmt.london_datetime(datetime(2026, 12, 11, 12, 0)) == "midday, Friday 11 December 2026"
    assert fmt.london_datetime(datetime(2026, 12, 15, 0, 0)) == "the end of Monday 14 December 2026"
    # Midnight in London in summer is 23:00 UTC the day before.
    assert fmt.london_datetime(datetime(2026, 7, 1, 23, 0)) == "the end of Wednesday 1 July 2026"
    assert fmt.london_datetime(datetime(2026, 12, 15, 0, 1)) == "12:01am, Tuesday 15 December 2026"
    assert fmt.london_time(datetime(2026, 12, 11, 0, 0)) == "midnight"
    assert fmt.london_time(datetime(2026, 12, 11, 0, 1)) == "12:01am"
    assert fmt.london_time(datetime(2026, 12, 11, 12, 30)) == "12:30pm"


def test_aware_datetimes_are_converted_from_their_own_zone():
    plus_two = timezone(timedelta(hours=2))
    assert fmt.london_datetime(datetime(2026, 12, 11, 17, 0, tzinfo=plus_two)) == "3pm, Friday 11 December 2026"
    assert fmt.london_datetime(datetime(2026, 12, 11, 15, 0, tzinfo=timezone.utc)) == "3pm, Friday 11 December 2026"


def test_a_plain_date_given_to_london_datetime_shows_as_a_date():
    assert fmt.london_datetime(date(2026, 12, 11)) == "Friday 11 December 2026"
    assert fmt.london_datetime(None) == ""


def test_iso_forms_for_machines():
    assert fmt.iso_date(date(2026, 1, 2)) == "2026-01-02"
    assert fmt.iso_datetime(datetime(2026, 7, 1, 14, 0, 5, 123)) == "2026-07-01T14:00:05Z"
    assert fmt.iso_datetime(None) == ""


# ---------------------------------------------------------------------------
# Organisation names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("register", "shown"),
    [
        ("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", "Manchester University NHS Foundation Trust"),
        ("KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST", "King's College Hospital NHS Foundation Trust"),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        ("NHS NORTH EAST AND NORTH CUMBRIA INTEGRATED CARE BOARD",
         "NHS North East and North Cumbria Integrated Care Board"),
        ("NHS BIRMINGHAM AND SOLIHULL ICB", "NHS Birmingham and Solihull ICB"),
        ("THE ROYAL MARSDEN NHS FOUNDATION TRUST", "The Royal Marsden NHS Foundation Trust"),
        ("SOUTHEND-ON-SEA CITY COUNCIL", "Southend-on-Sea City Council"),
        ("NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST", "Newcastle upon Tyne Hospitals NHS Foundation Trust"),
        ("CENTRAL AND NORTH WEST LONDON NHS FOUNDATION TRUST (CNWL)",
         "Central and North West London NHS Foundation Trust (CNWL)"),
        ("THE PHOENIX PARTNERSHIP (LEEDS) LTD", "The Phoenix Partnership (Leeds) Ltd"),
        ("HEALTH EDUCATION AND IMPROVEMENT FOR THE UK", "Health Education and Improvement for the UK"),
        ("O'NEILL GP SURGERY HQ", "O'Neill GP Surgery HQ"),
        ("OF COUNSEL LIMITED", "Of Counsel Limited"),
    ],
)
def test_title_case_org_turns_register_capitals_into_readable_names(register, shown):
    assert fmt.title_case_org(register) == shown


def test_title_case_org_leaves_names_a_person_wrote_alone():
    assert fmt.title_case_org("NHS England") == "NHS England"
    assert fmt.title_case_org("eMed Healthcare UK") == "eMed Healthcare UK"
    assert fmt.title_case_org(None) == ""
    assert fmt.title_case_org("") == ""


# ---------------------------------------------------------------------------
# Statuses and paging
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "colour"),
    [("draft", "grey"), ("published", "green"), ("LIVE", "green"), ("admitted", "green"),
     ("suspended", "orange"), ("retiring", "orange"), ("withdrawn", "red"), ("removed", "red"),
     ("expired", "red"), ("cancelled", "red"), ("under_review", "blue"), ("something else", None)],
)
def test_each_common_status_has_a_tag_colour(status, colour):
    assert fmt.status_colour(status) == colour


def test_status_text_is_sentence_case_words():
    assert fmt.status_text("under_review") == "Under review"
    assert fmt.status_text(SimpleNamespace(value="not_met")) == "Not met"


@pytest.mark.parametrize(
    ("page", "pages", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (6, 10, [1, None, 5, 6, 7, None, 10]),
        (3, 10, [1, 2, 3, 4, None, 10]),
        (10, 10, [1, None, 9, 10]),
        (99, 10, [1, None, 9, 10]),
        (1, 0, []),
    ],
)
def test_page_window_shows_the_ends_and_the_neighbours(page, pages, window):
    assert fmt.page_window(page, pages) == window


# ---------------------------------------------------------------------------
# WTForms fields -> nhsuk parameters (no app needed beyond a request context)
# ---------------------------------------------------------------------------


class ExampleForm(FlaskForm):
    title = StringField("Title", description="What buyers will see", validators=[DataRequired("Enter a title")])
    email = EmailField("Email address", validators=[Optional()])
    summary = TextAreaField("Summary", validators=[Length(max=500, message="Summary must be 500 characters or fewer")])
    notes = TextAreaField("Notes")
    kind = RadioField("Kind of offer", choices=[SelectChoice("saas", "Software as a service"),
                                                SelectChoice("service", "Service", render_kw={"hint": "Done by people"})],
                      validators=[InputRequired("Select the kind of offer")])
    region = SelectField("Region", choices=[SelectChoice("", "Choose a region"), SelectChoice("nw", "North West"),
                                            SelectChoice("ld", "London")], default="")
    lots = SelectMultipleField("Lots", choices=[SelectChoice("1", "Lot 1"), SelectChoice("2", "Lot 2")],
                               validators=[DataRequired("Select at least one lot")])
    agree = BooleanField("I agree to the terms")
    deadline = fields.DateInputField("Deadline", validators=[DataRequired("Enter a deadline")])
    count = IntegerField("Number of sites", validators=[Optional()])
    password = PasswordField("Password")


@pytest.fixture()
def app():
    app = make_app()
    with app.test_request_context():
        yield app


def make_app() -> Flask:
    """A throwaway app with only the templates and their Jinja set-up: no database, no app factory."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "app" / "static"))
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False, TESTING=True)
    templating.init_app(app)
    accounts = Blueprint("accounts", __name__)
    accounts.add_url_rule("/sign-in", "login", lambda: "sign in")
    accounts.add_url_rule("/sign-out", "logout", lambda: "sign out", methods=["POST"])
    app.register_blueprint(accounts)
    app.add_url_rule("/offers", "offers", lambda: "offers")
    app.jinja_env.globals["current_user"] = SimpleNamespace(is_authenticated=False, name=None)

    @app.context_processor
    def nav():
        return {"nav_items": [
            {"href": "/offers", "text": "Offers", "current": True},
            {"href": "/suppliers", "text": "Suppliers", "current": False},
        ]}

    return app


def submitted(data: dict) -> ExampleForm:
    from werkzeug.datastructures import MultiDict

    form = ExampleForm(formdata=MultiDict(data))
    form.validate()
    return form


def test_a_field_with_an_error_gets_an_error_message_and_keeps_what_was_typed(app):
    form = submitted({"title": "", "email": "not-an-email", "summary": "x" * 501})
    params = components.nhs_field(form.title)
    assert params["id"] == "title" and params["name"] == "title"
    assert params["label"] == {"text": "Title"}
    assert params["hint"] == {"text": "What buyers will see"}
    assert params["errorMessage"] == {"text": "Enter a title"}
    summary = components.nhs_field(form.summary)
    assert components.nhs_component(form.summary) == "characterCount"
    assert summary["maxlength"] == 500 and summary["value"] == "x" * 501
    assert components.nhs_component(form.notes) == "textarea"
    email = components.nhs_field(form.email)
    assert email["type"] == "email" and email["value"] == "not-an-email"


def test_radios_use_id_prefix_and_mark_the_chosen_item(app):
    form = submitted({"kind": "service"})
    params = components.nhs_field(form.kind)
    assert "id" not in params and params["idPrefix"] == "kind"
    assert params["fieldset"]["legend"]["text"] == "Kind of offer"
    assert params["items"] == [
        {"value": "saas", "text": "Software as a service", "checked": False},
        {"value": "service", "text": "Service", "checked": True, "hint": {"text": "Done by people"}},
    ]


def test_select_items_mark_the_selected_option_and_checkboxes_the_ticked_ones(app):
    form = submitted({"region": "ld", "lots": ["2"], "agree": "y"})
    region = components.nhs_field(form.region)
    assert [i["selected"] for i in region["items"]] == [False, False, True]
    lots = components.nhs_field(form.lots)
    assert components.nhs_component(form.lots) == "checkboxes"
    assert lots["idPrefix"] == "lots" and [i["checked"] for i in lots["items"]] == [False, True]
    agree = components.nhs_field(form.agree)
    assert agree["items"] == [{"value": "y", "text": "I agree to the terms", "checked": True}]


def test_a_select_can_be_shown_as_radios_and_overrides_merge_into_the_label(app):
    form = submitted({"region": "nw"})
    params = components.nhs_field(form.region, component="radios", fieldset={"legend": {"size": "m"}})
    assert params["idPrefix"] == "region"
    assert params["fieldset"]["legend"] == {"text": "Region", "size": "m"}
    title = components.nhs_field(form.title, label={"size": "l", "isPageHeading": True})
    assert title["label"] == {"text": "Title", "size": "l", "isPageHeading": True}


def test_a_password_is_never_echoed_back(app):
    form = submitted({"password": "secret"})
    assert "value" not in components.nhs_field(form.password)


def test_the_date_input_reads_three_boxes(app):
    form = submitted({"deadline-day": "12", "deadline-month": "12", "deadline-year": "2026"})
    assert form.deadline.data == date(2026, 12, 12)
    assert not form.deadline.errors
    params = components.nhs_field(form.deadline)
    assert [(i["id"], i["name"], i["value"]) for i in params["items"]] == [
        ("deadline-day", "deadline-day", "12"),
        ("deadline-month", "deadline-month", "12"),
        ("deadline-year", "deadline-year", "2026"),
    ]


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "anchor"),
    [
        ("", "", "", "Enter a deadline", "#deadline-day"),
        ("12", "", "2026", "Deadline must include a month", "#deadline-month"),
        ("31", "2", "2026", "Deadline must be a real date", "#deadline-day"),
        ("1", "2", "26", "Year must include 4 numbers", "#deadline-year"),
        ("a", "2", "2026", "Deadline must be a real date", "#deadline-day"),
    ],
)
def test_a_wrong_date_says_what_is_wrong_and_links_to_the_box(app, day, month, year, message, anchor):
    form = submitted({"deadline-day": day, "deadline-month": month, "deadline-year": year})
    assert form.deadline.errors[0] == message
    hrefs = {i["text"]: i.get("href") for i in components.error_summary_items(form)}
    assert hrefs[message] == anchor
    values = [i["value"] for i in components.nhs_field(form.deadline)["items"]]
    assert values == [day, month, year]


def test_a_stored_date_fills_the_boxes():
    app = make_app()
    with app.test_request_context():
        form = ExampleForm(data={"deadline": date(2027, 1, 5)})
        values = [i["value"] for i in components.nhs_field(form.deadline)["items"]]
        assert values == ["5", "1", "2027"]


def test_error_summary_links_to_the_first_input_of_each_field_in_form_order(app):
    form = submitted({"title": ""})
    items = components.error_summary_items(form)
    assert items == [
        {"text": "Enter a title", "href": "#title"},
        {"text": "Select the kind of offer", "href": "#kind"},
        {"text": "Select at least one lot", "href": "#lots"},
        {"text": "Enter a deadline", "href": "#deadline-day"},
    ]


def test_form_level_errors_are_listed_without_a_link(app):
    form = submitted({"title": ""})
    form.form_errors.append("These dates overlap another offer")
    assert components.error_summary_items(form)[-1] == {"text": "These dates overlap another offer"}


def test_summary_rows_table_and_tag_parameters(app):
    from markupsafe import Markup

    rows = display.summary_rows([("Name", "Acme"), ("Website", Markup("<a href='/x'>x</a>"), "/edit"), None])
    assert rows[0] == {"key": {"text": "Name"}, "value": {"text": "Acme"}}
    assert rows[1]["value"] == {"html": Markup("<a href='/x'>x</a>")}
    assert rows[1]["actions"]["items"][0] == {"href": "/edit", "text": "Change", "visuallyHiddenText": "website"}
    table = display.table_params(["Supplier", {"text": "Share", "format": "numeric"}], [["Acme", "12%"], ["Beta", 1200]])
    assert table["rows"][0][1] == {"text": "12%", "format": "numeric"}
    assert table["rows"][1][1] == {"text": "1,200", "format": "numeric"}
    assert display.tag_params("withdrawn") == {"text": "Withdrawn", "classes": "nhsuk-tag--red"}


def test_pagination_parameters_from_a_flask_sqlalchemy_page(app):
    page = SimpleNamespace(page=2, pages=3, has_prev=True, has_next=True, prev_num=1, next_num=3, total=55)
    params = display.pagination_params(page, "offers", {"q": "cloud", "page": 9})
    assert params["previous"]["href"] == "/offers?page=1&q=cloud"
    assert params["next"]["href"] == "/offers?page=3&q=cloud"
    assert [i["current"] for i in params["items"]] == [False, True, False]
    one = SimpleNamespace(page=1, pages=1, has_prev=False, has_next=False, prev_num=None, next_num=None, total=3)
    assert display.pagination_params(one, "offers") is None


# ---------------------------------------------------------------------------
# Rendering whole pages
# ---------------------------------------------------------------------------

PAGE = """
{% extends "base.html" %}
{% from "macros/forms.html" import error_summary, field, submit, csrf %}
{% from "macros/ui.html" import breadcrumbs, summary_list, tag, table, pagination, data_table_download %}
{% block title %}Describe your offer{% endblock %}
{% block breadcrumbs %}{{ breadcrumbs([{"href": "/offers", "text": "Offers"}]) }}{% endblock %}
{% block content %}
  {{ error_summary(form) }}
  <h1>Describe your offer {{ tag("draft") }}</h1>
  <form method="post" novalidate>
    {{ csrf(form) }}
    {% for f in form %}{{ field(f) }}{% endfor %}
    {{ submit("Save and continue") }}
    {{ submit("Save as draft", secondary=true) }}
  </form>
  {{ summary_list([("Price", 123456 | money), ("Opens", deadline | london_datetime, "/edit")]) }}
  {{ table(["Supplier", "Sites"], [["MANCHESTER UNIVERSITY NHS FOUNDATION TRUST" | title_case_org, 1234]],
           caption="Deployments", responsive=true) }}
  {{ data_table_download("/offers.csv") }}
  {{ pagination(page_obj, "offers", {"q": "cloud"}) }}
{% endblock %}
"""


def render_page(app: Flask, form: FlaskForm) -> str:
    page = SimpleNamespace(page=1, pages=4, has_prev=False, has_next=True, prev_num=None, next_num=2, total=70)
    return render_template_string(PAGE, form=form, deadline=datetime(2026, 7, 1, 14, 30), page_obj=page)


def outside_references(html: str) -> list[str]:
    """URLs in attributes or CSS that point at another host (the SVG namespace is not a fetch)."""
    urls = re.findall(r"""(?:href|src|action|content)\s*=\s*["']((?:https?:)?//[^"']+)""", html)
    urls += re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", html)
    return urls


def test_a_form_page_renders_with_the_error_summary_field_errors_and_navigation(app):
    form = submitted({"title": "", "summary": "x" * 501, "kind": "", "deadline-day": "31",
                      "deadline-month": "2", "deadline-year": "2026"})
    html = render_page(app, form)

    assert '<html lang="en-GB">' in html
    assert "<title>Error: Describe your offer – Exemplar Exchange – NHS</title>" in html
    # Error summary, linking to each field.
    assert "nhsuk-error-summary" in html and "There is a problem" in html
    for anchor in ("title", "kind", "deadline-day"):
        assert re.search(rf'<a href="#{anchor}"\s*>\s*\S', html), anchor
    # The field's own error message, tied to the input.
    assert 'id="title-error"' in html and "Enter a title" in html
    assert 'aria-describedby="title-hint title-error"' in html
    assert "nhsuk-form-group--error" in html
    assert "Deadline must be a real date" in html
    assert 'id="kind"' in html and 'id="kind-2"' in html  # radios: idPrefix, first id has no suffix
    assert 'data-module="nhsuk-character-count"' in html and 'data-maxlength="500"' in html
    # Navigation from nav_items, with the current page marked.
    assert 'href="/offers"' in html and ">Suppliers<" in html
    assert 'aria-current="page"' in html
    # Signed out: a sign-in link, no sign-out form.
    assert 'href="/sign-in"' in html and "Sign out" not in html
    # Other macros.
    assert "nhsuk-tag--grey" in html and "nhsuk-breadcrumb" in html
    assert "£1,234.56" in html and "3:30pm, Wednesday 1 July 2026" in html
    assert "Manchester University NHS Foundation Trust" in html and "1,234" in html
    assert "Download this table (CSV)" in html
    assert 'href="/offers?page=2&amp;q=cloud"' in html
    # Footer.
    assert 'href="/open-data"' in html and 'href="/api/v1/openapi.json"' in html
    assert "Data: NHS ODS (OGL v3) and public sources" in html


def test_pages_have_no_inline_script_or_style_and_fetch_nothing_from_outside(app):
    form = submitted({"title": ""})
    html = render_page(app, form)

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its scripts"
    assert all(" src=" in s for s in scripts), scripts
    assert re.search(r"<script[^>]*>(?!\s*</script>)", html) is None, "no script has inline code"
    assert 'type="module" src="/static/build/init.js' in html
    assert re.search(r"\sstyle\s*=", html) is None, "no style attributes"
    assert "<style" not in html
    assert re.search(r"\son[a-z]+\s*=", html) is None, "no inline event handlers"
    assert outside_references(html) == []
    assert 'href="/static/build/app.css' in html


def test_a_signed_in_user_sees_their_name_and_a_sign_out_button_that_posts(app):
    app.jinja_env.globals["current_user"] = SimpleNamespace(is_authenticated=True, name="Ada Lovelace")
    app.jinja_env.globals["csrf_token"] = lambda: "tok"
    html = render_template_string('{% extends "base.html" %}{% block content %}<h1>Home</h1>{% endblock %}')
    assert "Signed in as Ada Lovelace" in html
    assert re.search(r'<form[^>]*action="/sign-out"[^>]*method="post"', html)
    assert '<input type="hidden" name="csrf_token" value="tok">' in html
    assert "<title>Exemplar Exchange – NHS</title>" in html


def test_flash_messages_become_notification_banners(app):
    flash("Offer published.", "success")
    flash("Sign in to see this page.", "info")
    html = render_template_string('{% extends "base.html" %}{% block content %}{% endblock %}')
    assert "nhsuk-notification-banner--success" in html and "Offer published." in html
    assert "Sign in to see this page." in html
    assert html.count('data-module="nhsuk-notification-banner"') == 2
    assert 'id="notification-banner-title-1"' in html and 'id="notification-banner-title-2"' in html


def test_nothing_is_rendered_for_missing_nav_items():
    app = make_app()
    app.template_context_processors[None] = [p for p in app.template_context_processors[None]
                                             if p.__name__ != "nav"]
    with app.test_request_context():
        html = render_template_string('{% extends "base.html" %}{% block content %}{% endblock %}')
    assert "nhsuk-header__navigation" not in html


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (400, "Sorry, there is a problem with your request"),
        (403, "You do not have permission to see this page"),
        (404, "Page not found"),
        (405, "Sorry, you cannot do that on this page"),
        (429, "Too many requests – try again later"),
        (500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_render_for_an_anonymous_user_without_a_database(app, status, heading):
    html = render_template(f"errors/{status}.html", message=None)
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} – Exemplar Exchange – NHS</title>" in html
    assert outside_references(html) == []


def test_the_500_page_does_not_touch_current_user(app):
    class Exploding:
        @property
        def is_authenticated(self):
            raise AssertionError("the 500 page asked who the user is")

    app.jinja_env.globals["current_user"] = Exploding()
    html = render_template("errors/500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "nhsuk-header__navigation" not in html


def test_nhsuk_macros_are_loaded_with_autoescape_and_chainable_undefined(app):
    html = render_template_string(
        '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}'
        '{{ insetText({"text": "<b>not bold</b>"}) }}{{ missing.deeply.nested }}'
    )
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert app.jinja_env.autoescape("nhsuk/components/tag/template.jinja") is True
    assert app.jinja_env.autoescape("emails/welcome.txt") is False


def test_init_app_keeps_blueprint_templates_working(tmp_path):
    app = make_app()
    (tmp_path / "bp").mkdir()
    (tmp_path / "bp" / "only_here.html").write_text("from the blueprint")
    bp = Blueprint("extra", __name__, template_folder=str(tmp_path))
    app.register_blueprint(bp)
    templating.init_app(app)  # twice is harmless
    with app.test_request_context():
        assert render_template("bp/only_here.html") == "from the blueprint"
        assert "nhsuk-tag" in render_template_string(
            '{% from "nhsuk/components/tag/macro.jinja" import tag %}{{ tag({"text": "x"}) }}')


def test_one_hhi_rounding_for_every_page_and_export():
    assert fmt.hhi(1811.2) == "1,811" and fmt.hhi(1811.5) == "1,812" and fmt.hhi_points(1811.49) == 1811
    assert fmt.hhi_change(35.4) == "+35" and fmt.hhi_change(-12.6) == "\u221213" and fmt.hhi_change(0.2) == "0"
    assert fmt.hhi(None) == ""


def test_a_count_takes_its_singular_or_plural():
    assert fmt.counted(1, "condition") == "1 condition"
    assert fmt.counted(2, "entry", "entries") == "2 entries"
    assert fmt.counted(12345, "trust") == "12,345 trusts"


def test_amounts_a_source_wrote_in_gbp_are_written_as_the_style_guide_asks():
    assert fmt.sterling("3 trusts share GBP5m central funding") == "3 trusts share £5m central funding"
    assert fmt.sterling("a GBP 1.2 billion deal") == "a £1.2 billion deal"
    assert fmt.sterling(None) == ""

