"""Pages of the offers domain: offer pages and history, exemplars' offer management and the
capability catalogue. The search page (search/views.py) and the projects' pages
(projects/views.py) join the same blueprint when this module imports them, at the end."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can, require
from app.accounts.roles import COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.documents import services as docs
from app.errors import DomainError
from app.extensions import db
from app.web.formerrors import show_on_form, validate_all
from app.web.querying import get_or_404
from app.registry.models import Lot, Membership, Organisation, System
from app.web import commit, nav_item

from . import bp, services
from .documents.services import offer_documents
from .forms import CategoryForm, ConfirmForm, OfferForm, WithdrawForm
from .models import CapabilityCategory, Offer, OfferVersion
from .policy import offer_or_404, signed_in_user
from .rules import pence_to_pounds_text, price_band, price_band_label, price_text
from .text import links, render_markdown
from .vocab import OFFER_STATUSES, PRICING_MODELS, VAT_TREATMENTS

nav_item("offers.search_page", "Offers", 40, prefix="/offers")
bp.add_app_template_global(price_text, "price_text")  # "£950 a day, plus VAT", on every page that shows a price
nav_item("offers.my_offers", "Our offers", 41, prefix="/my-offers",
         visible=lambda user: user is not None and user.has_role(EXEMPLAR_MANAGER))
nav_item("offers.projects", "Projects", 42, prefix="/projects",
         visible=lambda user: user is not None and user.has_role(FOLLOWER_BUYER, EVALUATOR))
nav_item("offers.categories", "Capabilities", 43, prefix="/capabilities",
         visible=lambda user: user is not None and user.has_role(COMMERCIAL_ADMIN))


# ---------------------------------------------------------------------------
# One offer
# ---------------------------------------------------------------------------


def _version_page(offer: Offer, version: OfferVersion):
    from .projects.services import projects_of

    user = signed_in_user()
    projects = projects_of(user.organisation) if user is not None and can(user, "offers.shortlist") else []
    return render_template(
        "offers/offer.html", offer=offer, version=version, description=render_markdown(version.description),
        evidence=links(version.evidence_links), blueprints=links(version.blueprint_links),
        documents=docs.current(offer_documents(offer)),
        visible=services.is_visible(offer), may_edit=can(current_user, "offers.edit", offer),
        may_shortlist=can(current_user, "offers.shortlist") and offer.status == "published",
        # A Flask-WTF form writes a CSRF token into the session when made: only for signed-in users,
        # or every anonymous visitor would get a session cookie and the page could not be cached.
        projects=projects, confirm=ConfirmForm() if user is not None else None, statuses=OFFER_STATUSES,
        pricing=PRICING_MODELS,
        vat=VAT_TREATMENTS, band=price_band_label(price_band(version.pricing_model, version.price_pence)),
    )


@bp.route("/offers/<int:offer_id>")
def offer(offer_id: int):
    o = offer_or_404(offer_id)
    return _version_page(o, o.current_version)


@bp.route("/offers/<int:offer_id>/versions/<int:number>")
def offer_version(offer_id: int, number: int):
    """An earlier version, as a shortlist or a competition saw it."""
    o = offer_or_404(offer_id)
    v = next((v for v in o.versions if v.number == number), None)
    if v is None:
        abort(404)
    return _version_page(o, v)


@bp.route("/offers/<int:offer_id>/versions")
def history(offer_id: int):
    o = offer_or_404(offer_id)
    return render_template("offers/history.html", offer=o, history=services.version_history(o),
                           pricing=PRICING_MODELS, vat=VAT_TREATMENTS)


# ---------------------------------------------------------------------------
# Exemplars manage their offers
# ---------------------------------------------------------------------------

@bp.route("/my-offers")
def my_offers():
    require("offers.create")
    offers = db.session.execute(
        select(Offer).where(Offer.organisation_id == current_user.organisation_id).order_by(Offer.updated_at.desc())
    ).unique().scalars().all()
    memberships = db.session.execute(
        select(Membership).where(Membership.organisation_id == current_user.organisation_id).order_by(Membership.id)
    ).unique().scalars().all()
    return render_template("offers/my_offers.html", offers=offers, memberships=memberships, statuses=OFFER_STATUSES)


def _choices(form: OfferForm, organisation: Organisation, current: OfferVersion | None = None) -> None:
    lots = db.session.execute(
        select(Lot).join(Membership, Membership.lot_id == Lot.id)
        .where(Membership.organisation_id == organisation.id, Membership.status.in_(services.DRAFTING_STATUSES))
        .order_by(Lot.framework_id, Lot.number)
    ).unique().scalars().all()
    form.lot.choices = [(l.id, f"{l.framework.name}: {l.label}") for l in lots]
    cats = db.session.execute(select(CapabilityCategory).order_by(CapabilityCategory.position,
                                                                  CapabilityCategory.name)).scalars().all()
    keep = current.category_id if current else None
    form.category.choices = [("", "Choose a capability")] + [
        (str(c.id), c.name + (" (system-specific)" if c.system_specific else "")) for c in cats
        if c.active or c.id == keep]
    run = services.live_system_ids(organisation)
    systems = db.session.execute(select(System).where(System.id.in_(run)).order_by(System.name)).unique().scalars().all()
    form.systems.choices = [(str(s.id), f"{s.name} ({s.supplier.name})") for s in systems]
    regions = db.session.execute(select(Organisation).where(Organisation.kind == "region")
                                 .order_by(Organisation.name)).unique().scalars().all()
    form.regions.choices = [(str(r.id), r.name.title().replace("Nhs", "NHS").replace(" And ", " and ")
                             .replace(" Of ", " of ")) for r in regions]


def _content(form: OfferForm) -> services.OfferContent:
    cat = db.session.get(CapabilityCategory, int(form.category.data)) if (form.category.data or "").isdecimal() else None
    ids = [int(i) for i in form.systems.data or [] if str(i).isdecimal()]
    region_ids = [int(i) for i in form.regions.data or [] if str(i).isdecimal()]
    systems = db.session.execute(select(System).where(System.id.in_(ids))).unique().scalars().all() if ids else []
    regions = (db.session.execute(select(Organisation).where(Organisation.id.in_(region_ids))).unique().scalars().all()
               if region_ids else [])
    return services.OfferContent(
        title=form.title.data, summary=form.summary.data, description=form.description.data or "",
        category=cat, systems=list(systems), regions=list(regions), pricing_model=form.pricing_model.data,
        price_pence=form.price_pence, vat=form.vat.data, capacity_per_quarter=form.capacity_per_quarter.data,
        capacity_committed=form.capacity_committed.data, lead_time_weeks=form.lead_time_weeks.data,
        evidence_links=form.evidence_links.data or "", blueprint_links=form.blueprint_links.data or "",
        contact_name=form.contact_name.data, contact_email=form.contact_email.data,
    )


@bp.route("/offers/new", methods=["GET", "POST"])
def new_offer():
    require("offers.create")
    org = current_user.organisation
    form = OfferForm(data={"capacity_committed": 0, "contact_name": current_user.name,
                           "contact_email": current_user.email})
    _choices(form, org)
    if not form.lot.choices:
        flash("Your trust is not a member of any lot, so it cannot offer services yet.", "error")
        return redirect(url_for("offers.my_offers"))
    if validate_all(form, lambda: services.content_problems(org, _content(form))):
        lot = db.session.get(Lot, form.lot.data)
        try:
            if lot is None or form.lot.data not in {c[0] for c in form.lot.choices}:
                raise DomainError("Choose one of your trust's lots.", field="lot")
            o = services.create_offer(org, lot, _content(form), actor=current_user)
            commit()
            flash("Offer saved as a draft. Publish it when it is ready.", "success")
            return redirect(url_for("offers.offer", offer_id=o.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/offer_form.html", form=form, offer=None)


@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
def edit_offer(offer_id: int):
    o = offer_or_404(offer_id, signed_in=True)
    require("offers.edit", o)
    v = o.current_version
    form = OfferForm(data={
        **{k: getattr(v, k) for k in ("title", "summary", "description", "pricing_model", "vat",
                                      "capacity_per_quarter", "capacity_committed", "lead_time_weeks",
                                      "evidence_links", "blueprint_links", "contact_name", "contact_email")},
        "lot": o.lot_id, "category": str(v.category_id), "price": pence_to_pounds_text(v.price_pence),
        "systems": [str(s.id) for s in v.systems], "regions": [str(r.id) for r in v.regions],
    })
    _choices(form, o.organisation, v)
    form.lot.choices = [(o.lot_id, f"{o.lot.framework.name}: {o.lot.label}")]
    if validate_all(form, lambda: services.content_problems(o.organisation, _content(form))):
        try:
            before = v.number
            new = services.update_offer(o, _content(form), actor=current_user)
            commit()
            if new.number != before:
                flash(f"Saved as version {new.number}. Shortlists keep the version they saw.", "success")
            else:
                flash("Offer saved.", "success")
            return redirect(url_for("offers.offer", offer_id=o.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/offer_form.html", form=form, offer=o)


@bp.route("/offers/<int:offer_id>/publish", methods=["GET", "POST"])
def publish(offer_id: int):
    o = offer_or_404(offer_id, signed_in=True)
    require("offers.edit", o)
    form = ConfirmForm()
    if request.method == "GET":
        # Publishing cannot be taken back (followers may shortlist it at once): confirm first.
        return render_template("offers/publish.html", form=form, offer=o)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.publish_offer(o, actor=current_user)
        commit()
        flash("Offer published: followers can now find it.", "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    return redirect(url_for("offers.offer", offer_id=offer_id))


@bp.route("/offers/<int:offer_id>/withdraw", methods=["GET", "POST"])
def withdraw(offer_id: int):
    o = offer_or_404(offer_id, signed_in=True)
    require("offers.edit", o)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw_offer(o, reason=form.reason.data or "", actor=current_user)
            commit()
            flash("Offer withdrawn: it no longer appears in search.", "success")
            return redirect(url_for("offers.offer", offer_id=o.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/withdraw.html", form=form, offer=o)


# ---------------------------------------------------------------------------
# The capability catalogue (commercial team)
# ---------------------------------------------------------------------------

@bp.route("/capabilities")
def categories():
    require("offers.manage_catalogue")
    cats = db.session.execute(select(CapabilityCategory).order_by(CapabilityCategory.position,
                                                                  CapabilityCategory.name)).scalars().all()
    return render_template("offers/categories.html", categories=cats)


@bp.route("/capabilities/new", methods=["GET", "POST"])
def new_category():
    require("offers.manage_catalogue")
    form = CategoryForm(data={"active": True})
    if form.validate_on_submit():
        try:
            services.create_category(name=form.name.data, description=form.description.data or "",
                                     system_specific=form.system_specific.data, actor=current_user)
            commit()
            flash("Capability added to the catalogue.", "success")
            return redirect(url_for("offers.categories"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/category_form.html", form=form, category=None)


@bp.route("/capabilities/<int:category_id>/edit", methods=["GET", "POST"])
def edit_category(category_id: int):
    require("offers.manage_catalogue")
    cat = get_or_404(CapabilityCategory, id=category_id)
    form = CategoryForm(obj=cat)
    if form.validate_on_submit():
        try:
            services.update_category(cat, name=form.name.data, description=form.description.data or "",
                                     system_specific=form.system_specific.data, active=form.active.data,
                                     actor=current_user)
            commit()
            flash("Capability updated.", "success")
            return redirect(url_for("offers.categories"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/category_form.html", form=form, category=cat)


@bp.cli.command("reindex")
def reindex_command():
    """Rebuild the offers' full-text search index: flask offers reindex."""
    import click

    from .search.backends import rebuild_index

    click.echo(rebuild_index())
    db.session.commit()


from .documents import views as _documents  # noqa: E402,F401  (the subjects' pages)
from .projects import views as _projects  # noqa: E402,F401
from .projects import locked_views as _locked  # noqa: E402,F401
from .search import views as _search  # noqa: E402,F401
