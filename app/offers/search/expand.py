"""A search's words, widened with the names and spellings people use, as pure functions.

Each word (or run of words that is a name, such as "ambient voice technology") becomes a group of
alternatives, any of which may match: the words as typed, the other names of the register
(app.registry.aliases: Cerner for Oracle Health, AVT for ambient voice technology, optimization
for optimisation), the other spelling by rule (-ize/-ise, -yze/-yse), and for a word the offers do
not use, the offers' words nearest in spelling (a typo). A hit must match every group.

A hit found only through a typo's correction ranks below every hit found without one; the page
offers "Did you mean …?" with the corrected words. Each hit can say why it matched
(`reasons_for`): "matched Oracle Health, formerly Cerner".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..text import STOP_WORDS, stem

#: At most this many words make one name ("dictionary of medicines and devices" is five).
MAX_NAME_WORDS = 5
#: At most this many alternatives per group (a query stays cheap however many names a word has).
MAX_ALTERNATIVES = 8
#: At most this many typo corrections searched for one word.
MAX_CORRECTIONS = 2

TYPED, ALIAS, SPELLING, TYPO = "typed", "alias", "spelling", "typo"

#: British and American spelling endings, American first: the rule behind the listed spellings.
_SPELLING_RULES = (("ization", "isation"), ("izations", "isations"), ("ize", "ise"), ("izes", "ises"),
                   ("ized", "ised"), ("izing", "ising"), ("yze", "yse"), ("yzed", "ysed"), ("yzing", "ysing"))


@dataclass(frozen=True)
class Alternative:
    text: str   # words, lower-case, one space apart
    kind: str   # TYPED, ALIAS, SPELLING or TYPO
    why: str = ""


@dataclass(frozen=True)
class Group:
    typed: str
    alternatives: tuple[Alternative, ...]

    @property
    def corrections(self) -> list[str]:
        return [a.text for a in self.alternatives if a.kind == TYPO]


@dataclass
class Expansion:
    groups: list[Group] = field(default_factory=list)
    #: The offers' nearest words for each word they do not use (for "Did you mean" and empty results).
    nearest: dict[str, list[str]] = field(default_factory=dict)

    @property
    def phrases(self) -> list[list[str]]:
        """Each group's alternatives, as the backends search them."""
        return [[a.text for a in g.alternatives] for g in self.groups]

    @property
    def exact_phrases(self) -> list[list[str]] | None:
        """The groups without typo corrections (a hit matching these ranks first), or None when
        no group has a correction."""
        if not any(g.corrections for g in self.groups):
            return None
        return [[a.text for a in g.alternatives if a.kind != TYPO] for g in self.groups]

    @property
    def highlight_words(self) -> list[str]:
        out: list[str] = []
        for g in self.groups:
            for a in g.alternatives:
                out += [w for w in a.text.split() if w not in out]
        return out

    def did_you_mean(self) -> str | None:
        """The search with each unknown word replaced by its nearest word, or None."""
        if not any(g.corrections for g in self.groups):
            return None
        return " ".join(g.corrections[0] if g.corrections else g.typed for g in self.groups)


def max_edits(word: str) -> int:
    """How many edits a typo may be from the word meant: none under 4 letters (too many words are
    one edit apart), one up to 7, two from 8."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 8 else 2


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours), or
    `limit` + 1 once it is known to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def spelling_variants(word: str) -> list[tuple[str, str]]:
    """(other spelling, why) by the -ize/-ise and -yze/-yse rules, either way round."""
    out = []
    for american, british in _SPELLING_RULES:
        if word.endswith(american) and len(word) > len(american) + 2:
            other = word[: -len(american)] + british
            out.append((other, f"{other}, the British spelling of {word}"))
        elif word.endswith(british) and len(word) > len(british) + 2:
            other = word[: -len(british)] + american
            out.append((other, f"{other}, the American spelling of {word}"))
    return out[:1]


def expand(words: list[str], aliases: Iterable, known: set[str],
           nearest: Callable[[str], list[str]]) -> Expansion:
    """Group `words` (search tokens) with their alternatives. `aliases` are NameAlias rows whose
    term_key or means_key is a run of the words; `known` the words the offers use; `nearest(w)`
    the offers' words nearest to w."""
    by_key: dict[str, list[tuple[str, str]]] = {}
    for a in aliases:
        by_key.setdefault(search_key(a.term_key), []).append((a.means_key, a.why(matched_means=True)))
        by_key.setdefault(search_key(a.means_key), []).append((a.term_key, a.why(matched_means=False)))
    out = Expansion()
    i = 0
    while i < len(words):
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            key = " ".join(words[i:i + n])
            if key in by_key or n == 1:
                break
        alternatives = [Alternative(key, TYPED)]
        for other, why in by_key.get(key, []):
            if other and all(other != a.text for a in alternatives):
                alternatives.append(Alternative(other, ALIAS, why))
        if n == 1:
            for other, why in spelling_variants(key):
                if all(other != a.text for a in alternatives):
                    alternatives.append(Alternative(other, SPELLING, why))
            if len(alternatives) == 1 and key not in known:
                close = nearest(key)
                if close:
                    out.nearest[key] = close
                alternatives += [Alternative(c, TYPO, f"{c}, the nearest word to {key}")
                                 for c in close[:MAX_CORRECTIONS]]
                # A misspelt other name ("allscrips"): the name, and what it stands for.
                named = _nearest_name(key, by_key)
                if named:
                    out.nearest[key] = [*close, named]
                    alternatives.append(Alternative(named, TYPO, f"{named}, the nearest name to {key}"))
                    alternatives += [Alternative(other, TYPO, why) for other, why in by_key[named]
                                     if all(other != a.text for a in alternatives)]
        out.groups.append(Group(key, tuple(alternatives[:MAX_ALTERNATIVES])))
        i += n
    return out


def _nearest_name(word: str, by_key: dict) -> str | None:
    """The one-word other name nearest in spelling to `word`, within max_edits(word), or None."""
    edits = max_edits(word)
    if edits <= 0:
        return None
    scored = sorted((edit_distance(word, k, edits), k) for k in by_key if " " not in k and k != word)
    return scored[0][1] if scored and scored[0][0] <= edits else None


def search_key(name_key: str) -> str:
    """A name's words as a search's tokens have them: without stop words ("dictionary of
    medicines and devices" → "dictionary medicines devices")."""
    return " ".join(w for w in name_key.split() if w not in STOP_WORDS)


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _contains(stems: list[str], phrase: str) -> bool:
    want = [stem(w) for w in phrase.split() if w not in STOP_WORDS]
    n = len(want)
    return any(stems[i:i + n] == want for i in range(len(stems) - n + 1)) if n else False


def reasons_for(expansion: Expansion, *texts: str | None) -> list[str]:
    """Why a hit with these texts matched, for each group it matched other than as typed:
    "Oracle Health, formerly Cerner"."""
    stems = [stem(w) for t in texts for w in _WORD.findall(t or "") if w.lower() not in STOP_WORDS]
    out: list[str] = []
    for g in expansion.groups:
        if len(g.alternatives) == 1 or _contains(stems, g.typed):
            continue
        for a in g.alternatives[1:]:
            if _contains(stems, a.text):
                if a.why not in out:
                    out.append(a.why)
                break
    return out
