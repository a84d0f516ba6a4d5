"""Grammatical agreement with a person's sex (issue 12, item 7): « née le » for a woman,
« né le » for a man, and the inclusive « né(e) » only when the sex is not known.

One function for the templates (the `agree` tag of `dui` template tags) and the messages of the
views. The sex codes are those of the RNIV's sex trait (people.Sex: F, M, I).
"""

FEMALE = "F"
MALE = "M"


def agree(person_or_sex, masculine: str, feminine: str) -> str:
    """`masculine` or `feminine` according to the sex of `person_or_sex` (a person, or its
    sex code); when it is unknown, the inclusive form: « né(e) », « admis(e) », or
    « masculine ou feminine » when the feminine is not the masculine plus an ending."""
    sex = getattr(person_or_sex, "sex", person_or_sex)
    if sex == FEMALE:
        return feminine
    if sex == MALE:
        return masculine
    if feminine.startswith(masculine):
        return f"{masculine}({feminine[len(masculine) :]})"
    return f"{masculine} ou {feminine}"


# The first word of an establishment's name and how French articles it: (feminine, elided).
# « l'EHPAD », « la MAS », « le SESSAD »; « de » + « le » → « du », « à » + « le » → « au ».
_NAME_WORDS = {
    "ehpad": (False, True),
    "ehpa": (False, True),
    "accueil": (False, True),
    "ime": (False, True),
    "itep": (False, True),
    "esat": (False, True),
    "eam": (False, True),
    "institut": (False, True),
    "établissement": (False, True),
    "ssiad": (False, False),
    "sessad": (False, False),
    "fam": (False, False),
    "savs": (False, False),
    "samsah": (False, False),
    "chrs": (False, False),
    "foyer": (False, False),
    "centre": (False, False),
    "service": (False, False),
    "mas": (True, False),
    "résidence": (True, False),
    "maison": (True, False),
}
_CONTRACTED = {("de", "le "): "du ", ("à", "le "): "au "}


def with_article(name: str, preposition: str = "") -> str:
    """An establishment's name as a sentence says it: « l'EHPAD Les Tilleuls », « de la MAS
    Les Cèdres », « au SESSAD Les Sources » (`preposition` "", "de" or "à"). A name that does
    not begin with a known kind of establishment is said « l'établissement … »."""
    words = name.split()
    known = _NAME_WORDS.get(words[0].lower()) if words else None
    if known is None:
        name, known = f"établissement {name}", _NAME_WORDS["établissement"]
    feminine, elided = known
    article = "l'" if elided else ("la " if feminine else "le ")
    if not preposition:
        return f"{article}{name}"
    contracted = _CONTRACTED.get((preposition, article))
    if contracted:
        return f"{contracted}{name}"
    return f"{preposition} {article}{name}"
