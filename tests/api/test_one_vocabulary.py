"""Every export speaks one language: the same codes, words and names in the API, the CSV
downloads, the SQLite open-data file and the OCDS data; money exact; nothing given is NULL, never
an empty string; lists are JSON arrays in the SQLite file (docs/exports.md)."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest


@pytest.fixture()
def register(runner, tmp_path, db_session):
    path = tmp_path / "register.sqlite"
    assert runner.invoke(args=["registry", "export-sqlite", str(path)]).exit_code == 0
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _csv(response) -> list[dict]:
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # said once
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_an_offer_has_the_same_codes_and_words_in_the_api_the_csv_and_the_sqlite_file(client, register):
    api = client.get("/api/v1/offers?per_page=100").get_json()["items"]
    sheet = {int(r["offer_id"]): r for r in _csv(client.get("/offers?format=csv&per_page=100"))}
    stored = {r["offer_id"]: r for r in register.execute("select * from offers")}
    assert api and sheet and set(sheet) <= set(stored)
    for offer in api:
        row, db = sheet.get(offer["id"]), stored[offer["id"]]
        for field in ("category", "category_name", "pricing_model", "pricing_model_name", "vat", "vat_name",
                      "organisation", "organisation_name", "title"):
            assert db[field] == offer[field], (field, db[field], offer[field])
            if row is not None:
                assert row[field] == offer[field], (field, row[field], offer[field])
        assert json.loads(db["systems"]) == sorted(offer["systems"])  # a JSON array, the API's codes
        assert db["price_pence"] == offer["price_pence"] and isinstance(db["price_pence"], int)
        if row is not None:
            pounds, pence = row["price_gbp"].split(".")
            assert int(pounds) * 100 + int(pence) == offer["price_pence"]  # exact pounds, never a float
            assert row["systems"] == "; ".join(sorted(offer["systems"]))


def test_an_organisation_has_the_same_names_in_every_export(client, register, app):
    api = client.get("/api/v1/organisations/RBL").get_json()
    sheet = next(r for r in _csv(client.get("/organisations?format=csv")) if r["ods_code"] == "RBL")
    db = register.execute("select * from organisations where ods_code = 'RBL'").fetchone()
    parties = [p for page in [client.get("/ocds/releases.json").get_json()] for r in page["releases"]
               for p in r.get("parties", []) if p["id"] == "GB-NHS-RBL"]
    assert parties
    names = {api["name"], sheet["name"], db["name"], parties[0]["name"]}
    official = {api["official_name"], sheet["official_name"], db["official_name"],
                parties[0]["identifier"]["legalName"]}
    assert names == {"Wirral University Teaching Hospital NHS Foundation Trust"}
    assert official == {"WIRRAL UNIVERSITY TEACHING HOSPITAL NHS FOUNDATION TRUST"}
    assert api["trust_type"] == sheet["trust_type"] == db["trust_type"] == "acute"


def test_the_sqlite_file_stores_nothing_given_as_null_and_lists_as_json_arrays(register):
    empties = []
    for (table,) in register.execute("select name from sqlite_master where type = 'table' "
                                     "and name not like '%fts%' and name != 'about'"):
        for column in register.execute(f"pragma table_info({table})"):
            if column["type"] == "TEXT":
                n = register.execute(f"select count(*) from {table} where trim({column['name']}) = ''").fetchone()[0]
                if n:
                    empties.append(f"{table}.{column['name']}: {n}")
    assert empties == []
    for column in ("systems", "system_names", "regions", "region_names", "suppliers"):
        kinds = {r[0] for r in register.execute(f"select json_type({column}) from offers")}
        assert kinds == {"array"}, column
    assert {r[0] for r in register.execute("select json_type(standards) from systems")} == {"array"}
    assert {r[0] for r in register.execute("select typeof(price_pence) from offers")} == {"integer"}
