"""Reading a rendered form's errors the way a person meets them: the error summary's links, and
the message shown at each field."""
from __future__ import annotations

import re
from html import unescape


def summary_items(html: str) -> list[tuple[str | None, str]]:
    """(href, message) for each entry of the "There is a problem" summary, in order."""
    m = re.search(r'<div\s[^>]*class="nhsuk-error-summary".*?</ul>', html, re.S)
    if not m:
        return []
    items = []
    for li in re.findall(r"<li>(.*?)</li>", m.group(0), re.S):
        href = re.search(r'href="([^"]+)"', li)
        items.append((href.group(1) if href else None, unescape(re.sub(r"<[^>]+>", "", li)).strip()))
    return items


def summary_links(html: str) -> dict[str, str]:
    """{field id: message} for the summary's linked entries."""
    return {href[1:]: text for href, text in summary_items(html) if href}


def field_messages(html: str) -> dict[str, str]:
    """{input id: message} for each field shown in its error state (nhsuk's error message span
    is given the id "<input id>-error")."""
    pattern = (r'<span\s+class="nhsuk-error-message[^"]*"\s+id="([^"]+)-error"[^>]*>\s*'
               r'(?:<span class="nhsuk-u-visually-hidden">[^<]*</span>)?([^<]*)')
    return {m.group(1): unescape(m.group(2)).strip() for m in re.finditer(pattern, html)}
