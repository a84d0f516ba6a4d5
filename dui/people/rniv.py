"""Which identity documents validate an identity (RNIV), without Django models.

The codes are those of FR Core's « mode de validation de l'identité »
(`fr-core-cs-mode-validation-identity`, Interop'Santé, which cites « RNIV 1 – Principes
communs, v2.0 (décembre 2024) »): CN, PA, CS, eCN, IN, AV, LECV, AN, LEP, CC, ANCV.

What is settled, and by which text:
- A « dispositif d'identification à haut niveau de confiance » validates an identity on its
  own (RNIV statuses VALI / QUAL, EXI SI 07 as quoted by FR Core's identity-status code
  system): the passport, the national identity card and the residence permit, and the digital
  means FR Core lists beside them (e-carte d'identité, Identité Numérique La Poste, application
  carte Vitale).
- RNIV 2024, volet 1 (« Principes communs », volets 0 and 1 merged), §3.3.3, « cas
  particuliers pour qualifier une identité en l'absence d'un titre à haut niveau de
  confiance » — read in the summary of the ARS Auvergne-Rhône-Alpes
  (sante-ara.fr, « Modifications des référentiels nationaux en identitovigilance en 2024 pour
  le médico-social »), not in the RNIV text itself, which the project could not read:
    · a minor without an official identity document: the child's birth certificate extract
      or the family book, together with a high-trust document of one of the parents; or of
      the tutor or of the délégataire of parental authority, together with the judicial
      decision; or the travel document for a foreign minor bearing a photograph (CC);
    · an elderly person in EHPAD: the family book or the birth certificate extract, together
      with the carte Vitale bearing a photograph (LECV, ANCV) — « applicable que pour une
      admission directe en EHPAD ».
  The paragraph number comes from that summary; the RNIV's own requirement identifiers for
  these exceptions are not known (non vérifié).

Cautious choices (ours, not the text's):
- "A minor": certainly a minor on the day of the check (`majority.py`); a person whose
  incomplete birth date leaves majority uncertain does not get the minors' exception.
- The parent's document must be one of the documents that validate alone; a parent counts if
  recorded as such in the child's parental authority (`ParentalAuthority`, role parent), with
  or without the exercise of the authority: the document ties the family book to a real
  person, it does not sign anything.
- "Direct admission in EHPAD": the professional attests it, and the check is recorded by a
  professional acting for an EHPAD.
- The ASE special case of §3.3.3 (children placed by the juge des enfants) is cut short in the
  summary: not encoded; such a child's identity stays provisional until one of the cases above
  applies.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# FR Core codes (case-sensitive: « eCN »).
CN, PA, CS, ECN, IN, AV = "CN", "PA", "CS", "eCN", "IN", "AV"
LECV, ANCV, AN, LEP, CC = "LECV", "ANCV", "AN", "LEP", "CC"
OTHER = "other"  # a document recorded for the file; it validates nothing

HIGH_TRUST = frozenset({CN, PA, CS, ECN, IN, AV})
MINOR_WITH_GUARANTOR = frozenset({AN, LEP})
MINOR_ALONE = frozenset({CC})
DIRECT_EHPAD_ADMISSION = frozenset({LECV, ANCV})
VALIDATING = HIGH_TRUST | MINOR_WITH_GUARANTOR | MINOR_ALONE | DIRECT_EHPAD_ADMISSION
# Documents whose validity date matters (a card, a passport, a permit, a travel document).
DATED = frozenset({CN, PA, CS, ECN, CC})

RNIV_333 = "RNIV 2024, volet 1, §3.3.3"


@dataclass(frozen=True)
class Guarantor:
    """The holder of parental authority whose high-trust document accompanies a minor's birth
    certificate or family book."""

    role: str  # ParentalRole: parent, tutor, delegate, custodian
    has_decision: bool  # the judicial decision naming a tutor or a délégataire is recorded
    is_current: bool  # holds the role on the day of the check


@dataclass(frozen=True)
class EvidenceFacts:
    kind: str
    minor: bool  # certainly a minor on the day of the check
    guarantor: Guarantor | None = None
    guarantor_document_kind: str = ""
    in_ehpad: bool = False  # the check is recorded for an EHPAD
    direct_ehpad_admission: bool = False  # attested by the professional


def refusal(facts: EvidenceFacts) -> dict[str, str]:
    """{field: French message} when this document (with what accompanies it) cannot validate
    the identity; {} when it validates, or when it is only recorded (`OTHER`)."""
    kind = facts.kind
    if kind in HIGH_TRUST or kind == OTHER:
        return {}
    if kind in MINOR_ALONE:
        if not facts.minor:
            return {
                "kind": _(
                    "Le document de circulation pour étranger mineur ne valide que l'identité "
                    "d'un mineur (%(text)s)."
                )
                % {"text": RNIV_333}
            }
        return {}
    if kind in MINOR_WITH_GUARANTOR:
        return _minor_refusal(facts)
    if kind in DIRECT_EHPAD_ADMISSION:
        if not facts.in_ehpad:
            return {
                "kind": _(
                    "Le livret de famille ou l'extrait d'acte de naissance avec la carte Vitale "
                    "ne valident une identité que lors d'une admission directe en EHPAD "
                    "(%(text)s) : présentez un titre d'identité."
                )
                % {"text": RNIV_333}
            }
        if not facts.direct_ehpad_admission:
            return {
                "direct_ehpad_admission": _(
                    "Cette exception n'est admise que pour une admission directe en EHPAD "
                    "(%(text)s) : attestez-la, ou présentez un titre d'identité."
                )
                % {"text": RNIV_333}
            }
        return {}
    return {"kind": _("Choisissez le document présenté dans la liste.")}


def _minor_refusal(facts: EvidenceFacts) -> dict[str, str]:
    if not facts.minor:
        return {
            "kind": _(
                "Un extrait d'acte de naissance ou un livret de famille ne valide pas l'identité "
                "d'une personne majeure : présentez un titre d'identité (passeport, carte "
                "d'identité, titre de séjour) ; en EHPAD, pour une admission directe, avec la "
                "carte Vitale avec photographie (%(text)s)."
            )
            % {"text": RNIV_333}
        }
    guarantor = facts.guarantor
    if guarantor is None or not guarantor.is_current or guarantor.role == "custodian":
        return {
            "guarantor": _(
                "Pour un mineur, l'extrait d'acte de naissance ou le livret de famille valide "
                "l'identité avec la pièce d'identité d'un parent, du tuteur ou du délégataire "
                "de l'autorité parentale (%(text)s) : choisissez qui l'a présentée."
            )
            % {"text": RNIV_333}
        }
    if facts.guarantor_document_kind not in HIGH_TRUST:
        return {
            "guarantor_document_kind": _(
                "Indiquez la pièce d'identité à haut niveau de confiance présentée par le parent, "
                "le tuteur ou le délégataire (passeport, carte d'identité, titre de séjour…)."
            )
        }
    if guarantor.role in ("tutor", "delegate") and not guarantor.has_decision:
        return {
            "guarantor": _(
                "Le tuteur ou le délégataire de l'autorité parentale présente aussi la décision "
                "de justice qui le désigne (%(text)s) : enregistrez-la (date et référence) dans "
                "l'autorité parentale."
            )
            % {"text": RNIV_333}
        }
    return {}
