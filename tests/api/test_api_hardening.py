"""Requests built to break the API (issue 21) answer 400 in the API's error shape, never 500, and the
document and the server agree where they used to disagree (issue 14)."""
from __future__ import annotations

import json

import pytest

from .conftest import bearer
from .test_registry_api import new_deployment

JSON = {"Content-Type": "application/json"}


@pytest.fixture()
def writer(admin, token):
    return {**bearer(token(admin, "write")), **JSON}


def assert_api_400(response) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == 400 and body["error"]["message"]


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '{"notes":' * 1000 + "1" + "}" * 1000,
                                  json.dumps(new_deployment(notes=[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]))],
                         ids=["array 1000 deep", "object 1000 deep", "just too deep"])
def test_a_body_nested_too_deep_is_a_400(client, writer, body):
    assert_api_400(client.post("/api/v1/deployments", data=body, headers=writer))


@pytest.mark.parametrize("where", ["value", "key", "list item"])
def test_a_lone_surrogate_is_a_400_not_a_500(client, writer, db_session, where):
    body = {"value": new_deployment(notes="\ud800 notes"), "key": {**new_deployment(), "\udfff": "x"},
            "list item": new_deployment(notes=["\ud83d"])}[where]
    r = client.post("/api/v1/deployments", data=json.dumps(body), headers=writer)  # json.dumps writes "\ud800" as an escape
    assert_api_400(r)
    assert "Unicode" in r.get_json()["error"]["message"]


def test_a_nul_character_in_a_body_is_a_400_on_every_database(client, writer, db_session):
    from app.registry.models import Deployment

    before = db_session.query(Deployment).count()
    r = client.post("/api/v1/deployments", data=json.dumps(new_deployment(notes="board\u0000papers")), headers=writer)
    assert_api_400(r)
    assert "NUL" in r.get_json()["error"]["message"]
    assert db_session.query(Deployment).count() == before


def test_a_body_that_is_not_a_json_object_is_a_400(client, writer):
    for data in ("not json", "[1, 2]", '"a string"', "", "\xff\xfe{}"):
        assert_api_400(client.post("/api/v1/deployments", data=data, headers=writer))


def test_a_405_names_the_methods_the_path_takes(client):
    r = client.delete("/api/v1/organisations")
    assert r.status_code == 405 and r.get_json()["error"]["status"] == 405
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    r = client.put("/api/v1/offers/1")
    assert r.status_code == 405 and {"GET", "PATCH"} <= set(r.headers["Allow"].replace(" ", "").split(","))


# --- the document and the server agree -------------------------------------------------------------

@pytest.fixture()
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                yield path, method, op


def test_every_operation_has_a_unique_operation_id_and_a_description(doc):
    ids = [op.get("operationId") for _, _, op in operations(doc)]
    assert all(ids) and len(ids) == len(set(ids)) >= 28
    missing = [f"{m.upper()} {p}" for p, m, op in operations(doc) if not op.get("summary") or not op.get("description")]
    assert missing == []


def test_trust_type_is_a_nullable_enum_that_allows_null(doc):
    trust_type = doc["components"]["schemas"]["Organisation"]["properties"]["trust_type"]
    assert trust_type["nullable"] is True and None in trust_type["enum"]


def query_param(doc, path, name):
    return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_q_has_one_limit_in_the_document_and_on_the_server(client, doc):
    from app.offers.text import MAX_QUERY_LENGTH

    for path in ("/organisations", "/offers"):
        assert query_param(doc, path, "q")["schema"]["maxLength"] == MAX_QUERY_LENGTH
        assert client.get(f"/api/v1{path}?q={'a' * MAX_QUERY_LENGTH}").status_code == 200
        r = client.get(f"/api/v1{path}?q={'a' * (MAX_QUERY_LENGTH + 1)}")
        assert r.status_code == 400 and r.get_json()["error"]["field"] == "q"


def test_an_empty_query_parameter_is_documented_as_the_same_as_leaving_it_out(client, doc):
    as_of = query_param(doc, "/concentration", "as_of")
    assert as_of["allowEmptyValue"] is True and "empty" in doc["info"]["description"].lower()
    assert client.get("/api/v1/concentration?as_of=").get_json() == client.get("/api/v1/concentration").get_json()
    assert client.get("/api/v1/organisations?kind=&per_page=").status_code == 200
    for value in ("1999-12-31", "tomorrow", "2026-13-01"):
        r = client.get(f"/api/v1/concentration?as_of={value}")
        assert r.status_code == 400 and r.get_json()["error"]["field"] == "as_of"


def test_offer_fields_the_server_requires_have_a_min_length(doc, client, make, token):
    from .test_offers_api import exemplar, new_offer

    schemas = doc["components"]["schemas"]
    for name in ("OfferInput", "OfferChanges"):
        for field in ("title", "summary", "contact_name", "contact_email", "category"):
            prop = schemas[name]["properties"][field]
            assert prop["minLength"] == 1 and prop["pattern"] == r"\S", (name, field)
        assert "minLength" not in schemas[name]["properties"]["description"]
    headers = bearer(token(exemplar(make), "write"))
    r = client.post("/api/v1/offers", json=new_offer(summary="   "), headers=headers)
    assert r.status_code == 422 and r.get_json()["error"] == {"status": 422, "message": "Enter summary.",
                                                               "field": "summary"}
