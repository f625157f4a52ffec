"""The main pages (home, data, accessibility) and the README's screenshots."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path, heading", [
    ("/", "Find and contract NHS exemplar trusts"),
    ("/data", "Where the data comes from"),
    ("/accessibility", "Accessibility statement"),
])
def test_the_main_pages_are_public_and_have_one_heading(client, path, heading):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<h1") == 1 and heading in page


def test_the_home_page_counts_the_register(client):
    page = client.get("/").get_data(as_text=True)
    # the demo register: every open trust, the exemplars, the systems and the sourced deployments
    counts = [int(n.replace(",", "")) for n in re.findall(r"nhsuk-heading-xl[^>]*>([\d,]+)<", page)]
    assert len(counts) == 4 and all(n > 0 for n in counts)


def test_the_footer_links_to_the_open_data_page(client):
    assert 'href="/open-data"' in client.get("/").get_data(as_text=True)


def test_every_screenshot_the_readme_shows_is_in_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme)
    assert len(images) >= 12, "the README's 'What it looks like' section shows the main pages"
    missing = [i for i in images if not (ROOT / i).is_file()]
    assert not missing, f"run the browser tests to take them: {missing}"
