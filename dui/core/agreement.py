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
