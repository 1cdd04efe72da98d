"""Folding text for search: one function for the indexed documents and for the queries."""

from __future__ import annotations

import re
import unicodedata

ENTITY_TYPES: tuple[str, ...] = ("Organization", "Office", "Event", "GoverningBody", "Instrument", "Programme")
"""Searchable entity kinds, by GraphQL type name."""

# Letters that carry no combining mark to strip, spelled the way unaccent spells them.
_LETTERS = str.maketrans(
    {**dict(zip("øØłŁđĐħĦıŀðÐ", "oOlLdDhHildD", strict=True)), "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss"}
    | {"þ": "th", "Þ": "TH"}
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` in lower case without accents (compatibility forms decomposed)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The words of ``text`` once folded: runs of letters and digits."""
    return _WORD.findall(fold(text))


def normalize(text: str) -> str:
    """``text`` folded, as its words separated by single spaces."""
    return " ".join(words(text))


def trigrams(word: str) -> set[str]:
    """The trigrams of a folded word, padded as PostgreSQL's pg_trgm pads it (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
