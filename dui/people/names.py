"""How the names of a person are written and compared (identity vigilance), without Django.

The rule, one place for every path that writes a name — the identity forms, the services, the
merge, the demo seeding, a data migration for the rows written before:

- birth name and used name: capitals, accents and the cedilla kept (« DUPRÉ-LEFÈVRE »);
- first names (all the birth first names, space-separated, and the used first name): as typed
  (« Hélène Marie »), their case is not part of the trait;
- everywhere: Unicode composed form (NFC), spaces collapsed, the typographic apostrophe and the
  hyphen variants a keyboard or a copy-paste brings (’ ‐ ‑ …) turned into ' and -;
- a name holds letters (accented ones included), spaces, hyphens and apostrophes, nothing else:
  no digit, no markup character (`<script>` was accepted and stored, escaped on display).

Sources, and what is still to check.
- The DGOS instruction of 7 June 2013 on identity vigilance in hospital information systems
  asked for capitals only and the 26 letters, without diacritics, apostrophes or hyphens (as
  reported by the FHF: « recommande l'utilisation exclusive des majuscules et n'autorise que les
  26 lettres de l'alphabet … Elle proscrit de fait les caractères diacritiques, apostrophes,
  tirets »). It is the rule the RNIV (2021) replaced.
- The identity card prints the names in capitals with their accents, as on the birth
  certificate (Ministère de l'Intérieur, answer to written question no 04329, JO Sénat,
  1 January 1998): the traits are checked against that document.
- The health insurance bases, where the INS traits come from, long stored names without
  accents (the Carte Vitale is not accented): a comparison with INSi ignores diacritics, as the
  duplicate search already does (`search.normalise_name`).
- The RNIV itself (volet 1 « Principes d'identification des usagers communs à tous les
  acteurs de santé », v1.2, §3.1.3 « Quelles sont les informations à recueillir ? ») says how
  traits are typed; its paragraph could not be read from the reference material available to
  the project. The rule above (capitals, accents kept, letters, spaces, hyphens, apostrophes)
  is the one decided for issue 10 (finding 5); the identity-vigilance referent is to check it
  against that paragraph.

Strict traits are compared after normalisation (`same_trait`): « Martin » and « MARTIN » are
the same birth name, « Jeanne » and « JEANNE » the same first name. An accent added or removed
is a correction of the trait (« LEFEVRE » → « LEFÈVRE »).
"""

import unicodedata

# Typographic variants typed or pasted for the two signs a name may hold.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_HYPHENS = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_SIGNS = frozenset(" -'")


def tidy(value: str) -> str:
    """Composed form, one space between words, ' and - for the apostrophe and the hyphen."""
    text = unicodedata.normalize("NFC", value or "").translate(_APOSTROPHES).translate(_HYPHENS)
    return " ".join(text.split())


def family_name(value: str) -> str:
    """A birth name or a used name as stored: capitals, accents kept."""
    return tidy(value).upper()


def first_names(value: str) -> str:
    """First names as stored: tidied, their case as typed."""
    return tidy(value)


def unexpected_characters(value: str) -> str:
    """The characters a name may not hold (letters, spaces, hyphens, apostrophes are fine),
    each once, in order of appearance; "" for a plausible name."""
    seen: list[str] = []
    for ch in tidy(value):
        allowed = ch in _SIGNS or unicodedata.category(ch)[0] in ("L", "M")
        if not allowed and ch not in seen:
            seen.append(ch)
    return "".join(seen)


def has_a_letter(value: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in value or "")


def first_word(value: str) -> str:
    """The first word of a list of first names: only a starting value for the first birth
    first name, which is a trait of its own (a composed first name may hold a space)."""
    return next(iter(tidy(value).split(" ")), "")


def _name_words(value: str) -> list[str]:
    # The INS guide compares first names with the hyphen and the apostrophe taken as a space
    # (« Jean-Pierre » ≡ « Jean Pierre »); case aside, accents kept (they are the trait).
    return tidy(value).replace("-", " ").replace("'", " ").casefold().split()


def begins_with(first_names: str, first: str) -> bool:
    """Whether the list of birth first names begins with this first birth first name, word
    for word: « Jean Pierre Marie » begins with « Jean Pierre » and with « Jean-Pierre », not
    with « Jean Pi » nor « Pierre ». Rule of the INS implementation guide (v3.0, EXI ID 10,
    as cited by FR Core's users; its text could not be read here): the first first name is
    the start of the list."""
    words, start = _name_words(first_names), _name_words(first)
    return bool(start) and words[: len(start)] == start


# The strict traits that are names, and how each is stored.
NAME_TRAITS = {
    "birth_name": family_name,
    "first_names": first_names,
    "first_birth_first_name": first_names,
}
NAME_FIELDS = {**NAME_TRAITS, "used_name": family_name, "used_first_name": first_names}


def normalised(field: str, value):
    """The stored form of `value` for the identity field `field` (other fields unchanged)."""
    rule = NAME_FIELDS.get(field)
    return rule(value) if rule and isinstance(value, str) else value


def same_trait(field: str, a, b) -> bool:
    """Whether two values of an identity field are the same trait once written by the rule
    (names: case aside)."""
    a, b = normalised(field, a), normalised(field, b)
    if field in NAME_FIELDS and isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return a == b
