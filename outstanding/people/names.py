"""Name keys for searching people: tolerant of spelling ("Jon Smyth" finds "John Smith"). Plain Python."""

import re
import unicodedata

import jellyfish


def fold(name: str) -> str:
    """Lower case ASCII letters only: "O'Brien-Smith" -> "obriensmith"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_name.lower())


def sound_key(name: str) -> str:
    """A phonetic key (Metaphone) of the whole name, so spellings that sound alike share a key."""
    folded = fold(name)
    return jellyfish.metaphone(folded).upper() if folded else ""


def split_query(text: str) -> tuple[str, str]:
    """A typed name as (first, last). "John Smith" and "Smith, John" both give ("John", "Smith"); with more
    words the last is the surname and the first the forename ("Mary Ann Jones")."""
    if "," in text:
        surname, _, forenames = text.partition(",")
        first_words = [w for w in forenames.split() if fold(w)]
        return (first_words[0] if first_words else ""), " ".join(surname.split())
    words = [w for w in text.split() if fold(w)]
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return words[0], words[-1]


def likeness(a: str, b: str) -> float:
    """How alike two names are, 0–1 (Jaro–Winkler on folded names), for ranking matches."""
    return jellyfish.jaro_winkler_similarity(fold(a), fold(b))
