"""Default profession × information category matrix (read / write).

Shared professional secrecy in ESMS: professionals share only what is strictly necessary to
the person's care and support (Code de la santé publique art. L1110-4 and L1110-12; décret
n° 2016-994 du 20 juillet 2016 on sharing between health, social and medico-social
professionals). Medical data is for the care team only; psychological data for the
psychologist and the physicians; the director manages the administrative record but is not
part of the care team. Each establishment's director can adjust these defaults, except that
medical data can only ever be opened to care professions (MEDICAL_ELIGIBLE).
"""

from .models import InformationCategory as C

NONE, READ, WRITE = "", "r", "rw"

ADM, SOC, EDU, CARE, MED, PSY = (
    C.ADMINISTRATIVE,
    C.SOCIAL,
    C.EDUCATIONAL,
    C.CARE,
    C.MEDICAL,
    C.PSYCHOLOGICAL,
)


def _row(adm=NONE, soc=NONE, edu=NONE, care=NONE, med=NONE, psy=NONE) -> dict[str, str]:
    return {ADM: adm, SOC: soc, EDU: edu, CARE: care, MED: med, PSY: psy}


DEFAULT_MATRIX: dict[str, dict[str, str]] = {
    # Care staff at the bedside: care notes and plan; no medical or psychological file.
    "as": _row(adm=READ, soc=READ, edu=READ, care=WRITE),
    "aes": _row(adm=READ, soc=READ, edu=WRITE, care=WRITE),
    "amp": _row(adm=READ, soc=READ, edu=WRITE, care=WRITE),
    # Nurses read the medical file (prescriptions, history) and write care.
    "ide": _row(adm=READ, soc=READ, edu=READ, care=WRITE, med=READ),
    "idec": _row(adm=READ, soc=READ, edu=READ, care=WRITE, med=READ),
    "medecin_coordonnateur": _row(adm=READ, soc=READ, edu=READ, care=WRITE, med=WRITE, psy=READ),
    "medecin": _row(adm=READ, soc=READ, edu=READ, care=WRITE, med=WRITE, psy=READ),
    "pharmacien": _row(adm=READ, care=READ, med=READ),
    "psychologue": _row(adm=READ, soc=READ, edu=READ, care=READ, psy=WRITE),
    "educateur_specialise": _row(adm=READ, soc=READ, edu=WRITE, care=READ),
    "moniteur_educateur": _row(adm=READ, soc=READ, edu=WRITE, care=READ),
    "assistant_service_social": _row(adm=WRITE, soc=WRITE, edu=READ),
    "ergotherapeute": _row(adm=READ, edu=READ, care=WRITE, med=READ),
    "kinesitherapeute": _row(adm=READ, edu=READ, care=WRITE, med=READ),
    "secretaire": _row(adm=WRITE),
    "cadre_sante": _row(adm=READ, soc=READ, edu=READ, care=WRITE, med=READ),
    "chef_service": _row(adm=WRITE, soc=WRITE, edu=WRITE, care=READ),
    "directeur": _row(adm=WRITE, soc=READ, edu=READ),
    # Technical administration: configures the system, reads no person's record.
    "administrateur": _row(),
}

MEDICAL_ELIGIBLE = frozenset(
    {
        "as",
        "aes",
        "amp",
        "ide",
        "idec",
        "medecin_coordonnateur",
        "medecin",
        "pharmacien",
        "ergotherapeute",
        "kinesitherapeute",
        "cadre_sante",
        "psychologue",
    }
)


# Psychological data: the psychologist and the physicians (the psychologist's notes are
# covered by their own professional secrecy; code de déontologie des psychologues, art. 7).
PSYCHOLOGICAL_ELIGIBLE = frozenset({"psychologue", "medecin", "medecin_coordonnateur"})


def default_rights(profession_code: str | None, category: str) -> tuple[bool, bool]:
    """(can_read, can_write) by default for this profession and category."""
    level = DEFAULT_MATRIX.get(profession_code or "", {}).get(category, NONE)
    return level in (READ, WRITE), level == WRITE
