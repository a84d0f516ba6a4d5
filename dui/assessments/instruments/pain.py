"""Pain scales: self-assessment (EVA, EN) and behavioural hetero-assessment for people who cannot
say their pain (Algoplus for acute pain, Doloplus-2 for prolonged pain).

French recommendations: ANAES, « Évaluation et suivi de la douleur chronique chez l'adulte en
médecine ambulatoire » (février 1999) for the EVA and the EN; ANAES, « Évaluation et prise en
charge thérapeutique de la douleur chez les personnes âgées ayant des troubles de la communication
verbale » (octobre 2000) for the behavioural scales (Doloplus, ECPA). Self-assessment comes first
whenever the person can give it; hetero-assessment does not replace it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from .base import Instrument, Option, Question, Result, register

# Pain is assessed by every carer at the bedside; a nurse or a physician validates (the response
# — an analgesic, a re-assessment — is theirs to decide).
PAIN_FILL = frozenset(
    {
        "as",
        "aes",
        "amp",
        "ide",
        "idec",
        "cadre_sante",
        "medecin",
        "medecin_coordonnateur",
        "kinesitherapeute",
        "ergotherapeute",
    }
)
PAIN_VALIDATE = frozenset({"ide", "idec", "cadre_sante", "medecin", "medecin_coordonnateur"})


def _fr(number) -> str:
    return format(Decimal(number).normalize(), "f").replace(".", ",")


# --- Algoplus ----------------------------------------------------------------------------------
# Rat P, Jouve E, Pickering G, Donnarel L, Nguyen L, Michel M, Capriz-Ribière F, Lefebvre-Chapiro
# S, Gauquelin F, Bonin-Guillaume S. Validation of an acute pain-behavior scale for older persons
# with inability to communicate verbally: Algoplus. Eur J Pain 2011;15(2):198.e1-10.
# Five yes/no items; a total of 2 or more means pain is present (and is treated; the aim of the
# treatment is a score below 2).
ALGOPLUS_PAIN_MIN = 2

YES_NO = (Option("1", "Oui", 1), Option("0", "Non", 0))


@register
class Algoplus(Instrument):
    code = "algoplus"
    version = "2011"
    name = "Algoplus (douleur aiguë de la personne âgée non communicante)"
    short_name = "Algoplus"
    category = "care"
    source = "Rat et al., Eur J Pain 2011;15:198.e1-10 (Collectif Doloplus)"
    fill_professions = PAIN_FILL
    validate_professions = PAIN_VALIDATE
    score_min, score_max = 0, 5
    higher_is_worse = True
    questions = (
        Question(
            "visage",
            "1. Visage",
            help="Froncement des sourcils, grimaces, crispation, mâchoires serrées, visage figé.",
            options=YES_NO,
        ),
        Question(
            "regard",
            "2. Regard",
            help="Regard inattentif, fixe, lointain ou suppliant, pleurs, yeux fermés.",
            options=YES_NO,
        ),
        Question(
            "plaintes",
            "3. Plaintes",
            help="« Aïe », « Ouille », « J'ai mal », gémissements, cris.",
            options=YES_NO,
        ),
        Question(
            "corps",
            "4. Corps",
            help="Retrait ou protection d'une zone, refus de mobilisation, attitudes figées.",
            options=YES_NO,
        ),
        Question(
            "comportements",
            "5. Comportements",
            help="Agitation ou agressivité, agrippement.",
            options=YES_NO,
        ),
    )

    def score(self, cleaned: dict) -> Result:
        total = int(self.points(cleaned))
        if total >= ALGOPLUS_PAIN_MIN:
            status = "douleur présente"
            advice = "Traiter la douleur et réévaluer : l'objectif est un score inférieur à 2."
            level = "danger"
        else:
            status = "pas de douleur mise en évidence"
            advice = "Réévaluer à chaque soin ou changement de comportement."
            level = "ok"
        return Result(
            score=Decimal(total),
            label=f"{total} / 5",
            interpretation=(
                f"Algoplus {total}/5 : {status}. Un score de 2 ou plus affirme la présence d'une "
                f"douleur (Rat et al. 2011). {advice}"
            ),
            level=level,
            details={"total": total, "items": [k for k in cleaned if cleaned[k] == "1"]},
        )


# --- Doloplus-2 ---------------------------------------------------------------------------------
# Wary B, Collectif Doloplus. Doloplus-2, une échelle pour évaluer la douleur. Soins Gérontol
# 1999;19:25-7; Lefebvre-Chapiro S, the Doloplus group. The Doloplus-2 scale – evaluating pain in
# the elderly. Eur J Palliat Care 2001;8(5):191-4. Ten items scored 0–3 (0–30): a score of 5 or
# more out of 30 affirms pain. The user's guide says "ne rien coter en cas d'item inadapté": an
# item may be marked as not rated, it then counts for nothing.
DOLOPLUS_PAIN_MIN = 5
NOT_RATED = "nc"

SOMATIC = "Retentissement somatique"
PSYCHOMOTOR = "Retentissement psychomoteur"
PSYCHOSOCIAL = "Retentissement psychosocial"


def _doloplus_options(*labels: str) -> tuple[Option, ...]:
    return (
        *(Option(str(i), label, i) for i, label in enumerate(labels)),
        Option(NOT_RATED, "Item inadapté : non coté"),
    )


@register
class Doloplus2(Instrument):
    code = "doloplus2"
    version = "1999"
    name = "Doloplus-2 (douleur de la personne âgée ayant des troubles de la communication)"
    short_name = "Doloplus-2"
    category = "care"
    source = (
        "Wary et Collectif Doloplus, Soins Gérontol 1999;19:25-7 ; Lefebvre-Chapiro, Eur J "
        "Palliat Care 2001;8:191-4 ; ANAES, douleur et troubles de la communication verbale, 2000"
    )
    fill_professions = PAIN_FILL
    validate_professions = PAIN_VALIDATE
    score_min, score_max = 0, 30
    higher_is_worse = True
    questions = (
        Question(
            "plaintes_somatiques",
            "1. Plaintes somatiques",
            options=_doloplus_options(
                "Pas de plainte",
                "Plaintes uniquement à la sollicitation",
                "Plaintes spontanées occasionnelles",
                "Plaintes spontanées continues",
            ),
            group=SOMATIC,
        ),
        Question(
            "positions_antalgiques",
            "2. Positions antalgiques au repos",
            options=_doloplus_options(
                "Pas de position antalgique",
                "Le sujet évite certaines positions de façon occasionnelle",
                "Position antalgique permanente et efficace",
                "Position antalgique permanente inefficace",
            ),
            group=SOMATIC,
        ),
        Question(
            "protection",
            "3. Protection de zones douloureuses",
            options=_doloplus_options(
                "Pas de protection",
                "Protection à la sollicitation n'empêchant pas la poursuite de l'examen ou des soins",
                "Protection à la sollicitation empêchant tout examen ou soins",
                "Protection au repos, en l'absence de toute sollicitation",
            ),
            group=SOMATIC,
        ),
        Question(
            "mimique",
            "4. Mimique",
            options=_doloplus_options(
                "Mimique habituelle",
                "Mimique semblant exprimer la douleur à la sollicitation",
                "Mimique semblant exprimer la douleur en l'absence de toute sollicitation",
                "Mimique inexpressive en permanence et de manière inhabituelle (atone, figée,"
                " regard vide)",
            ),
            group=SOMATIC,
        ),
        Question(
            "sommeil",
            "5. Sommeil",
            options=_doloplus_options(
                "Sommeil habituel",
                "Difficultés d'endormissement",
                "Réveils fréquents (agitation motrice)",
                "Insomnie avec retentissement sur les phases d'éveil",
            ),
            group=SOMATIC,
        ),
        Question(
            "toilette_habillage",
            "6. Toilette et/ou habillage",
            options=_doloplus_options(
                "Possibilités habituelles inchangées",
                "Possibilités habituelles peu diminuées (précautionneux mais complet)",
                "Possibilités habituelles très diminuées, toilette et/ou habillage étant"
                " difficiles et partiels",
                "Toilette et/ou habillage impossibles, le malade exprimant son opposition à toute"
                " tentative",
            ),
            group=PSYCHOMOTOR,
        ),
        Question(
            "mouvements",
            "7. Mouvements",
            options=_doloplus_options(
                "Possibilités habituelles inchangées",
                "Possibilités habituelles actives limitées (le malade évite certains mouvements,"
                " diminue son périmètre de marche)",
                "Possibilités habituelles actives et passives limitées (même aidé, le malade"
                " diminue ses mouvements)",
                "Mouvement impossible, toute mobilisation entraînant une opposition",
            ),
            group=PSYCHOMOTOR,
        ),
        Question(
            "communication",
            "8. Communication",
            options=_doloplus_options(
                "Inchangée",
                "Intensifiée (la personne attire l'attention de manière inhabituelle)",
                "Diminuée (la personne s'isole)",
                "Absence ou refus de toute communication",
            ),
            group=PSYCHOSOCIAL,
        ),
        Question(
            "vie_sociale",
            "9. Vie sociale",
            options=_doloplus_options(
                "Participation habituelle aux différentes activités (repas, animations, ateliers"
                " thérapeutiques…)",
                "Participation aux différentes activités uniquement à la sollicitation",
                "Refus partiel de participation aux différentes activités",
                "Refus de toute vie sociale",
            ),
            group=PSYCHOSOCIAL,
        ),
        Question(
            "troubles_comportement",
            "10. Troubles du comportement",
            options=_doloplus_options(
                "Comportement habituel",
                "Troubles du comportement à la sollicitation et itératifs",
                "Troubles du comportement à la sollicitation et permanents",
                "Troubles du comportement permanents (en dehors de toute sollicitation)",
            ),
            group=PSYCHOSOCIAL,
        ),
    )

    def clean(self, answers: dict, *, complete: bool = True) -> dict:
        cleaned = super().clean(answers, complete=complete)
        if complete and all(value == NOT_RATED for value in cleaned.values()):
            raise ValidationError(
                {"plaintes_somatiques": "Cotez au moins un item : tous sont marqués non cotés."}
            )
        return cleaned

    def score(self, cleaned: dict) -> Result:
        def subtotal(group: str) -> int:
            return sum(
                int(cleaned[q.key])
                for q in self.questions
                if q.group == group and cleaned.get(q.key) not in (None, NOT_RATED)
            )

        total = int(self.points(cleaned) or 0)
        not_rated = [q.key for q in self.questions if cleaned.get(q.key) == NOT_RATED]
        if total >= DOLOPLUS_PAIN_MIN:
            status, level = "douleur affirmée", "danger"
        else:
            status, level = "pas de douleur affirmée", "ok"
        note = f" {len(not_rated)} item(s) inadapté(s) non coté(s)." if not_rated else ""
        return Result(
            score=Decimal(total),
            label=f"{total} / 30",
            interpretation=(
                f"Doloplus-2 {total}/30 : {status}. Un score de 5 ou plus sur 30 affirme la "
                "douleur. Seule l'évolution des scores d'une même personne a un sens : ne pas "
                f"comparer des personnes entre elles.{note}"
            ),
            level=level,
            details={
                "total": total,
                "somatic": subtotal(SOMATIC),
                "psychomotor": subtotal(PSYCHOMOTOR),
                "psychosocial": subtotal(PSYCHOSOCIAL),
                "not_rated": not_rated,
            },
        )


# --- EVA and EN ---------------------------------------------------------------------------------
# Self-assessment scales recommended by the ANAES (1999): the visual analogue scale (EVA, a 10 cm
# line, read in cm with one decimal = to the millimetre) and the numeric scale (EN, 0–10 whole
# numbers). The intensity bands below are the usual clinical reading (0 no pain, 1–3 mild, 4–6
# moderate, 7–10 intense); they are conventions, not thresholds of the ANAES text. For the EVA
# (continuous), "1–3" means below 4 and "4–6" below 7.
PAIN_MODERATE_MIN = Decimal(4)
PAIN_INTENSE_MIN = Decimal(7)


def _intensity(value: Decimal) -> tuple[str, str]:
    if value == 0:
        return "pas de douleur", "ok"
    if value < PAIN_MODERATE_MIN:
        return "douleur légère", "warn"
    if value < PAIN_INTENSE_MIN:
        return "douleur modérée", "warn"
    return "douleur intense", "danger"


BANDS_TEXT = (
    "Repères usuels : 0, pas de douleur ; 1 à 3, légère ; 4 à 6, modérée ; 7 à 10, intense."
)


class _SelfAssessment(Instrument):
    category = "care"
    fill_professions = PAIN_FILL
    validate_professions = PAIN_VALIDATE
    score_min, score_max = 0, 10
    higher_is_worse = True

    def score(self, cleaned: dict) -> Result:
        value = Decimal(cleaned["douleur"])
        status, level = _intensity(value)
        return Result(
            score=value,
            label=f"{_fr(value)} / 10",
            interpretation=(
                f"{self.short_name} {_fr(value)}/10 : {status} (auto-évaluation par la personne). "
                f"{BANDS_TEXT}"
            ),
            level=level,
            details={"value": str(value), "status": status},
        )


@register
class VisualAnalogueScale(_SelfAssessment):
    code = "eva"
    version = "1999"
    name = "Échelle visuelle analogique (EVA) de la douleur"
    short_name = "EVA"
    source = (
        "ANAES, Évaluation et suivi de la douleur chronique chez l'adulte en médecine "
        "ambulatoire, février 1999"
    )
    questions = (
        Question(
            "douleur",
            "Intensité de la douleur indiquée par la personne sur la réglette",
            kind="number",
            minimum=0,
            maximum=10,
            decimals=1,
            unit="cm",
            help="Lecture au verso de la réglette, de 0 (pas de douleur) à 10 cm (douleur maximale"
            " imaginable), au millimètre près.",
        ),
    )


@register
class NumericRatingScale(_SelfAssessment):
    code = "en"
    version = "1999"
    name = "Échelle numérique (EN) de la douleur"
    short_name = "EN"
    source = (
        "ANAES, Évaluation et suivi de la douleur chronique chez l'adulte en médecine "
        "ambulatoire, février 1999"
    )
    questions = (
        Question(
            "douleur",
            "Note de la douleur donnée par la personne",
            kind="number",
            minimum=0,
            maximum=10,
            decimals=0,
            help="Un nombre entier de 0 (pas de douleur) à 10 (douleur maximale imaginable).",
        ),
    )

    def _clean_value(self, q: Question, value):
        """The EN is a whole number: 4,5 is refused rather than rounded."""
        cleaned = super()._clean_value(q, value)
        if Decimal(str(value).replace(",", ".")) != Decimal(cleaned):
            raise ValidationError("Donnez un nombre entier de 0 à 10.")
        return cleaned
