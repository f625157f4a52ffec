"""The search page: every offer a visitor may see, filtered by facets and ordered by best fit for
a follower; also as CSV."""
from __future__ import annotations

from dataclasses import replace

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import can, require
from app.web.exports import csv_response, record_cells
from app.web.urls import external_url

from .. import bp
from ..models import Offer, OfferVersion
from ..policy import follower_org
from ..exports import FIELDS, offer_record
from .engine import search
from .query import FACETS, SORTS, SearchQuery


SEARCH_CSV_FIELDS = (*FIELDS, "url")


def offer_csv_row(offer: Offer, v: OfferVersion) -> list:
    """One offer version as a CSV row, in the shared export vocabulary (codes with their words,
    money in exact pounds, dates ISO)."""
    return record_cells({**offer_record(offer, v), "url": external_url("offers.offer", offer_id=offer.id)},
                        SEARCH_CSV_FIELDS)[1]


SEARCH_CSV_HEADER = record_cells({}, SEARCH_CSV_FIELDS)[0]


@bp.route("/offers")
def search_page():
    require("offers.search")
    query = SearchQuery.from_args(request.args)
    if request.args.get("format") == "csv":
        results = search(query, follower_org=follower_org(), facets=False, everything=True)
        return csv_response("offers.csv", SEARCH_CSV_HEADER,
                            (offer_csv_row(h.offer, h.version) for h in results.hits))
    results = search(query, follower_org=follower_org())
    if query.page > results.pages and results.total:
        return redirect(url_for("offers.search_page", **_args_dict(query.with_page(results.pages))))
    labels = {(key, fv.value): fv.label for key, values in results.facets.items() for fv in values}
    chosen = [{"facet": FACETS[key], "label": labels.get((key, value), value),
               "href": url_for("offers.search_page", **_args_dict(query.toggle(key, value)))}
              for key, value in query.chosen]
    return render_template("offers/search.html", results=results, query=query, facets=FACETS, sorts=SORTS,
                           chosen=chosen, args_dict=_args_dict, may_shortlist=can(current_user, "offers.shortlist"),
                           help=_help(query, results))


def _href(query: SearchQuery) -> str:
    return url_for("offers.search_page", **_args_dict(query))


def _help(query: SearchQuery, results) -> dict:
    """What the page offers beside the hits: "Did you mean …?", and with no hits, each word with
    a link to search without it, and the offers' words nearest to those they do not use."""
    groups = results.expansion.groups
    out: dict = {"did_you_mean": None, "words": [], "nearest": []}
    if results.did_you_mean:
        out["did_you_mean"] = {"text": results.did_you_mean,
                               "href": _href(replace(query, q=results.did_you_mean, page=1))}
    if results.total:
        return out
    if len(groups) > 1:
        for i, g in enumerate(groups):
            rest = " ".join(other.typed for j, other in enumerate(groups) if j != i)
            out["words"].append({"word": g.typed, "href": _href(replace(query, q=rest, page=1))})
    for word, close in results.expansion.nearest.items():
        for term in close:
            q = " ".join(term if g.typed == word else g.typed for g in groups)
            out["nearest"].append({"word": word, "term": term, "href": _href(replace(query, q=q, page=1))})
    return out


def _args_dict(query: SearchQuery, page: bool = True) -> dict[str, list[str]]:
    """A query as url_for keyword arguments (lists for repeated keys)."""
    out: dict[str, list[str]] = {}
    for k, v in query.args(page=page):
        out.setdefault(k, []).append(v)
    return out
