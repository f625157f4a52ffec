"""Search words, the FTS5 MATCH expression, highlighting and Markdown: pure text functions."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.offers.text import MAX_TOKEN_LENGTH, MAX_TOKENS, STOP_WORDS, excerpt, fts5_match, highlight, links, \
    render_markdown, tokens


def test_tokens_are_lower_case_words_without_operators_or_stop_words():
    assert tokens('Epic AND "optimisation" OR NOT (ambient*) -voice NEAR(x) 🙂') == [
        "epic", "optimisation", "ambient", "voice", "near", "x"]


def test_repeated_words_count_once_and_long_queries_are_cut():
    assert tokens("epic epic EPIC") == ["epic"]
    assert len(tokens(" ".join(f"w{i}" for i in range(100)))) == MAX_TOKENS
    assert tokens("a" * 5000) == ["a" * MAX_TOKEN_LENGTH]


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_plain_words_only(text):
    words = tokens(text)
    assert len(words) <= MAX_TOKENS
    for w in words:
        assert w and re.fullmatch(r"[^\W_]+", w) and w not in STOP_WORDS and len(w) <= MAX_TOKEN_LENGTH


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=500))
def test_the_match_expression_is_only_quoted_phrases(text):
    expr = fts5_match(tokens(text))
    assert re.fullmatch(r'("[^"]+"( "[^"]+")*)?', expr)


def test_a_double_quote_inside_a_word_would_be_doubled():
    assert fts5_match(['a"b']) == '"a""b"'


def test_highlight_marks_matching_words_and_escapes_everything_else():
    assert str(highlight("<b>Deployments</b> & deploying & co", ["deployment"])) == (
        "&lt;b&gt;<mark>Deployments</mark>&lt;/b&gt; &amp; <mark>deploying</mark> &amp; co")


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=300), words=st.lists(st.text(min_size=1, max_size=10), max_size=3))
def test_highlighted_text_has_no_markup_but_mark(text, words):
    html = str(highlight(text, tokens(" ".join(words))))
    assert re.sub(r"</?mark>", "", html).count("<") == 0


def test_the_excerpt_starts_near_the_first_match():
    text = "word " * 200 + "zebrafinch here " + "tail " * 100
    piece = excerpt(text, ["zebrafinch"], length=80)
    assert "zebrafinch" in piece and piece.startswith("…") and len(piece) <= 82


def test_markdown_is_rendered_and_cleaned():
    html = str(render_markdown("# Title\n\n**bold** <script>x()</script> [a](https://e.org) [b](javascript:x)"
                               "\n\n<img src=x onerror=alert(1)>"))
    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert 'href="https://e.org"' in html and "noopener" in html


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=500))
def test_no_markdown_can_produce_script(text):
    html = str(render_markdown(text)).lower()
    assert "<script" not in html and "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()


def test_links_keep_only_web_addresses():
    assert links("https://a.org\n\n ftp://x\njavascript:alert(1)\nhttp://b.org ") == ["https://a.org", "http://b.org"]
