"""Name normalisation for search: accents and case ignored (works the same on SQLite and PostgreSQL)."""

import unicodedata


def normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in ascii_only.lower())
    return " ".join(cleaned.split())
