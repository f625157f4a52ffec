"""Text handling for offers, as pure functions: search tokens, the FTS5 MATCH expression built
from them, highlighting of matches, and Markdown rendered safely.

User text never reaches a full-text query language as it was typed: it is cut into word tokens,
and each token is quoted as a phrase. Operators (AND, OR, NOT, NEAR), quotes, brackets, stars and
minus signs lose their meaning and become plain words or nothing.
"""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

#: At most this many words of a query are used (a 5,000-character paste must stay cheap).
MAX_TOKENS = 12
MAX_TOKEN_LENGTH = 40
MAX_QUERY_LENGTH = 500

# Letters and digits in any script; underscores and everything else separate words, as in
# SQLite's unicode61 tokenizer and PostgreSQL's parser.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Words too common to search for (PostgreSQL's English configuration drops these; dropping them
#: here too gives both backends the same query).
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own s same she should
so some such t than that the their theirs them themselves then there these they this those through to
too under until up very was we were what when where which while who whom why will with you your yours
yourself yourselves
""".split())


def tokens(query: str | None) -> list[str]:
    """The words of a search query, lower-cased, stop words and repeats dropped, in order."""
    seen: list[str] = []
    for word in _WORD.findall((query or "")[:MAX_QUERY_LENGTH]):
        word = word.lower()[:MAX_TOKEN_LENGTH]
        if word in STOP_WORDS or word in seen:
            continue
        seen.append(word)
        if len(seen) == MAX_TOKENS:
            break
    return seen


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression that finds rows containing every word: each word is a quoted
    phrase ("a" "b" means a AND b), with any double quote doubled as FTS5 asks."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts5_any_of(groups: list[list[str]]) -> str:
    """An FTS5 MATCH expression for rows containing, for every group, one of its phrases:
    ("a" OR "b c") AND ("d"). Each phrase is quoted (any double quote doubled), so nothing typed
    is FTS5 syntax."""
    parts = []
    for phrases in groups:
        quoted = ['"' + p.replace('"', '""') + '"' for p in phrases if p.strip()]
        if quoted:
            parts.append("(" + " OR ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
    return " AND ".join(parts)


def _stem(word: str) -> str:
    """A rough stem, enough to highlight "deployments" for "deployment" (the index stems properly)."""
    word = word.lower()
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


stem = _stem


def highlight(text: str | None, words: list[str]) -> Markup:
    """`text` escaped for HTML, with each word matching a search word wrapped in <mark>."""
    text = text or ""
    if not words:
        return Markup(escape(text))
    stems = {_stem(w) for w in words}
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        stem = _stem(word)
        if any(stem == s or (len(s) >= 4 and stem.startswith(s)) for s in stems):
            out.append(str(escape(text[last:m.start()])))
            out.append(f"<mark>{escape(word)}</mark>")
            last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def excerpt(text: str | None, words: list[str], length: int = 240) -> str:
    """Up to `length` characters of plain text around the first matching word (or the start)."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    start = 0
    lowered = text.lower()
    for w in words:
        i = lowered.find(_stem(w))
        if i >= 0:
            start = max(0, i - length // 3)
            break
    piece = text[start:start + length]
    return ("…" if start else "") + piece + ("…" if start + length < len(text) else "")


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3",
                "h4", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(source: str | None) -> Markup:
    """Markdown written by an exemplar, as safe HTML: raw HTML is not rendered, and the output is
    cleaned to a small set of tags; links keep only http(s) and mailto and get rel=noopener.

    Headings are moved down one level (# becomes h2) so the page keeps its one h1.
    """
    html = _md.render(source or "")
    html = re.sub(r"<(/?)h([1-5])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 4)}>", html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(clean)


def links(text: str | None) -> list[str]:
    """The web addresses in a one-per-line field, keeping only http(s) ones."""
    return [line.strip() for line in (text or "").splitlines()
            if line.strip().lower().startswith(("https://", "http://"))]
