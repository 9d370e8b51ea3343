"""Directory keyword search: one analyser for both databases (decision 024).

A service's searchable text (its name, its organisation's name, its taxonomy terms and its
description) is broken into words, common words dropped, and each word stemmed with the Snowball
English stemmer (the algorithm PostgreSQL's `english` configuration uses), and kept on the service as
three space-separated columns by how much a match there counts: `search_name` (service and
organisation names), `search_terms` (taxonomy terms) and `search_text` (description). A search is
parsed the same way, each word widened by the synonym list kept as data
(`data/search_synonyms.txt`). The selectors match it through PostgreSQL full-text search (a
GIN-indexed `tsvector` of those columns, migration 0009) or, on SQLite, by the same tokens in the
columns, and rank it the same way on both.

`index_services` is the one writer of the columns (editing, import, the seed and the benchmark call
it); it also records every word seen in `SearchWord`, the vocabulary "did you mean" draws on.
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer

SYNONYMS_FILE = Path(__file__).parent / "data" / "search_synonyms.txt"
MAX_WORDS = 8  # words of a search looked at
MAX_WORD = 40  # longer "words" are not words

# Left out of both the index and searches (they say nothing about a service).
# fmt: off
STOPWORDS = frozenset((
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "get", "got", "had", "has", "have",
    "he", "her", "here", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "more", "my",
    "no", "not", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "she", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
))
# fmt: on
# Left out of a search when it has other words: "help with debt" is a search for debt. Almost every
# entry offers help or support, so requiring the word would lose entries that do not say it.
# fmt: off
NOISE = frozenset((
    "help", "helps", "helping", "support", "supports", "supported", "service", "services", "advice", "find",
    "finding", "need", "needs", "want", "looking", "someone", "somebody", "people", "person", "local", "near",
    "nearby", "please",
))
# fmt: on

_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """The words of `text`: lower case, accents and punctuation dropped, common words left out."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [w for w in _WORD.findall(folded) if w not in STOPWORDS and len(w) <= MAX_WORD]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def _column(parts: Iterable[str]) -> str:
    """Stems as stored: space-separated with a space at each end, so " debt " finds the whole stem."""
    found = [s for part in parts for s in stems(part)]
    return f" {' '.join(found)} " if found else ""


@dataclass(frozen=True)
class Document:
    """What the index holds for one service, by weight."""

    name: str  # the service's and its organisation's names
    terms: str  # its taxonomy terms
    text: str  # its description

    def as_fields(self) -> dict[str, str]:
        return {"search_name": self.name, "search_terms": self.terms, "search_text": self.text}


def document(*, name: str, organisation: str, terms: Iterable[str], description: str) -> Document:
    return Document(_column([name, organisation]), _column(terms), _column([description]))


def vocabulary_of(*texts: str) -> dict[str, str]:
    """The words of `texts` and their stems (for `SearchWord`)."""
    return {w: stem(w) for text in texts for w in words(text) if not w.isdigit()}


# ---------------------------------------------------------------------------------------------
# Searches

Alternative = tuple[str, ...]  # stems that must all be there
Group = tuple[Alternative, ...]  # any one of which will do


@cache
def synonyms() -> dict[str, tuple[Alternative, ...]]:
    """Each one-word entry's stem -> every entry of its group, stemmed (`data/search_synonyms.txt`)."""
    table: dict[str, tuple[Alternative, ...]] = {}
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entries = [tuple(stems(entry)) for entry in line.split(",")]
        entries = [e for e in dict.fromkeys(entries) if e]
        for entry in entries:
            if len(entry) == 1:
                table[entry[0]] = tuple(dict.fromkeys((*table.get(entry[0], ()), *entries)))
    return table


@dataclass(frozen=True)
class Query:
    """A parsed search: every group must match (AND); a group is the word typed or one of its synonyms."""

    typed: tuple[str, ...]  # the words looked at, as typed (folded)
    groups: tuple[Group, ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    def tsquery(self) -> str:
        """As a PostgreSQL tsquery over the stored stems (each stem is [a-z0-9]+, so nothing to quote)."""

        def alternative(stems_: Alternative) -> str:
            return stems_[0] if len(stems_) == 1 else "(" + " & ".join(stems_) + ")"

        return " & ".join("(" + " | ".join(alternative(a) for a in group) + ")" for group in self.groups)


def parse(text: str) -> Query:
    typed = words((text or "")[:200])
    meaningful = [w for w in typed if w not in NOISE] or typed
    meaningful = list(dict.fromkeys(meaningful))[:MAX_WORDS]
    table = synonyms()
    groups = []
    for word in meaningful:
        own = stem(word)
        groups.append(tuple(dict.fromkeys(((own,), *table.get(own, ())))))
    return Query(tuple(meaningful), tuple(groups))


def suggestions(query: Query, vocabulary: dict[str, str], *, most: int = 6) -> list[str]:
    """Searches to offer for "did you mean", closest first: the search with each word the index does
    not know (nor any of its synonyms) replaced by one of the closest words it does (up to three for
    each word). Empty when every word is known or none has a close match. The caller keeps the first
    that finds something under its own filters. `vocabulary` is the index's words and their stems
    (`SearchWord`)."""
    known = set(vocabulary.values())
    table = synonyms()
    options: list[list[str]] = []
    for word in query.typed:
        own = stem(word)
        alternatives = ((own,), *table.get(own, ()))
        if any(all(s in known for s in alt) for alt in alternatives):
            options.append([word])
            continue
        near = [w for w in vocabulary if abs(len(w) - len(word)) <= 2]
        options.append(difflib.get_close_matches(word, near, n=3, cutoff=0.75) or [word])
    if all(len(o) == 1 and o[0] == w for o, w in zip(options, query.typed, strict=True)):
        return []
    found: list[str] = []
    for choice in itertools.product(*options):  # the closest of each word first
        text = " ".join(choice)
        if choice != query.typed and text not in found:
            found.append(text)
        if len(found) >= most:
            break
    return found


# ---------------------------------------------------------------------------------------------
# The index's one writer


def _has_index(service_model: Any) -> bool:
    """A migration's historical Service from before migration 0008 has no search columns."""
    return any(f.name == "search_name" for f in service_model._meta.get_fields())


def index_services(service_ids: Iterable[Any], *, get_model: Callable[[str], Any] | None = None) -> int:
    """Work out again the search columns of these services (and add their words to the vocabulary).

    Works with the real models or a migration's (`get_model`, as seed.load_seed takes it). Returns the
    number of services indexed.
    """
    if get_model is None:
        from django.apps import apps

        def get_model(name: str) -> Any:
            return apps.get_model("directory", name)

    service_model = get_model("Service")
    if not _has_index(service_model):
        return 0
    word_model = get_model("SearchWord")
    through = service_model.terms.through
    ids = list(service_ids)
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        terms: dict[Any, list[str]] = {}
        for service_id, term in through.objects.filter(service_id__in=chunk).values_list(
            "service_id", "taxonomyterm__name"
        ):
            terms.setdefault(service_id, []).append(term)
        rows = service_model.objects.filter(id__in=chunk).values_list("id", "name", "organisation__name", "description")
        changed, vocabulary = [], {}
        for service_id, name, organisation, description in rows:
            mine = terms.get(service_id, [])
            fields = document(name=name, organisation=organisation, terms=mine, description=description).as_fields()
            changed.append(service_model(id=service_id, **fields))
            vocabulary.update(vocabulary_of(name, organisation, description, *mine))
        service_model.objects.bulk_update(changed, ["search_name", "search_terms", "search_text"])
        word_model.objects.bulk_create(
            [word_model(word=w, stem=s) for w, s in vocabulary.items()], ignore_conflicts=True, batch_size=1000
        )
        done += len(changed)
    return done


_VOCABULARY: dict[str, Any] = {"count": -1, "words": {}}


def vocabulary() -> dict[str, str]:
    """Every word the index has seen and its stem ("did you mean" draws on it); kept in the process
    until a word is added."""
    from django.apps import apps

    words = apps.get_model("directory", "SearchWord").objects
    count = words.count()
    if count != _VOCABULARY["count"]:
        _VOCABULARY["words"] = dict(words.values_list("word", "stem"))
        _VOCABULARY["count"] = count
    return _VOCABULARY["words"]
