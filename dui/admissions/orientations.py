"""Which CDAPH orientations fit which establishments: the one table (issue 11, item 6).

CASF L241-6 I 2°: the CDAPH designates « les établissements, les services mentionnés à l'article
L. 312-1 […] correspondant aux besoins de l'enfant ou de l'adolescent ou concourant […] à
l'accueil de l'adulte handicapé »; L241-6 III: its decision binds the establishment within the
speciality it is authorised for. The law does not list the types: they are the national
nomenclature of the SI MDPH (TRE_R420, `OrientationKind`). This table says, for each category of
establishment the DUI knows, which orientation types designate it.

Settled by the nomenclature's wording: IME ↔ 7.1, ITEP ↔ 7.6 and 7.7 (« dispositif ITEP »),
SESSAD ↔ 7.8, MAS ↔ 13.3, SAVS ↔ 13.4, SAMSAH ↔ 13.5, ESAT ↔ 11.5.
Cautious choices (non vérifié: the précisions No_ESMS_adulte_non_méd / No_ESMS_adulte_médicalisé
exist only in the CNSA workbook, not in text):
- FAM ↔ 13.2 « établissement d'accueil médicalisé en tout ou partie » (FAM, EAM);
- foyer de vie and foyer d'hébergement ↔ 13.1 « établissement d'accueil non médicalisé »;
- SESSAD also ↔ 7.10 SSEFS, 7.11 SAAAS, 7.12 SSAD: these services for deaf, blind or
  polyhandicapped children are authorised as SESSAD specialised by deficiency;
- « autre ESMS » (7.99, 13.99) fits nothing by itself: the director reads the notification and,
  if it designates the establishment, goes on with a written reason (an override).
Anything else is a mismatch the director may override, with a reason, journaled.
"""

from dui.organisation.models import EstablishmentCategory as C

from .models import OrientationKind as K

ORIENTATION_FITS: dict[str, frozenset[str]] = {
    C.IME: frozenset({K.IME}),
    C.ITEP: frozenset({K.ITEP, K.ITEP_SCHEME}),
    C.SESSAD: frozenset({K.SESSAD, K.SSEFS, K.SAAAS, K.SSAD}),
    C.MAS: frozenset({K.MAS}),
    C.FAM: frozenset({K.MEDICAL_ADULTS}),
    C.ESAT: frozenset({K.ESAT}),
    C.FOYER_DE_VIE: frozenset({K.NON_MEDICAL_ADULTS}),
    C.FOYER_HEBERGEMENT: frozenset({K.NON_MEDICAL_ADULTS}),
    C.SAVS: frozenset({K.SAVS}),
    C.SAMSAH: frozenset({K.SAMSAH}),
}

# Establishments for disabled persons: an admission rests on a CDAPH orientation (L241-6).
DISABILITY_CATEGORIES = frozenset(ORIENTATION_FITS)


def fitting_kinds(category: str) -> frozenset[str]:
    """The orientation types that designate an establishment of this category (none for an
    establishment outside the disability field)."""
    return ORIENTATION_FITS.get(category, frozenset())


def fits(category: str, kind: str) -> bool:
    return kind in fitting_kinds(category)
