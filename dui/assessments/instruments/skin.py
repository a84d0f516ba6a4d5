"""Pressure-ulcer risk scales: Braden and Norton (a low score means a high risk).

French usage: ANAES, conférence de consensus « Prévention et traitement des escarres de l'adulte
et du sujet âgé » (SFFPC, novembre 2001), which recommends using a validated risk scale (Braden,
Norton, Waterlow) together with clinical judgement, and publishes a French translation of the
Braden scale. A scale never replaces that judgement: the interpretation says so.
"""

from __future__ import annotations

from decimal import Decimal

from .base import Instrument, Option, Question, Result, register

# Bedside scales filled by the care team (aides-soignants included: they see the skin at every
# wash); the nurse or the physician validates, as the prevention plan is a nursing prescription.
SKIN_FILL = frozenset({"as", "aes", "amp", "ide", "idec", "cadre_sante"})
SKIN_VALIDATE = frozenset({"ide", "idec", "cadre_sante", "medecin", "medecin_coordonnateur"})

CLINICAL_JUDGEMENT = (
    "L'échelle complète le jugement clinique, elle ne le remplace pas (ANAES, conférence de "
    "consensus 2001)."
)

# --- Braden -------------------------------------------------------------------------------------
# Bergstrom N, Braden BJ, Laguzza A, Holman V. The Braden Scale for predicting pressure sore risk.
# Nurs Res 1987;36(4):205-10 (6 items, 6–23). Risk bands as commonly published for older people:
# ≤ 18 at risk (Bergstrom N, Braden B, Kemp M et al. Predicting pressure ulcer risk: a multisite
# study of the predictive validity of the Braden Scale. Nurs Res 1998;47(5):261-9, the 18 cut-off
# retained for older people), 15–18 risque faible, 13–14 modéré, 10–12 élevé, ≤ 9 très élevé (Ayello EA,
# Braden B. How and why to do pressure ulcer risk assessment. Adv Skin Wound Care 2002;15:125-31).
BRADEN_AT_RISK_MAX = 18
BRADEN_MODERATE_MAX = 14
BRADEN_HIGH_MAX = 12
BRADEN_VERY_HIGH_MAX = 9
BRADEN_MIN, BRADEN_MAX = 6, 23


def _options(*labels: str) -> tuple[Option, ...]:
    """Options scored 1, 2, 3… in the order given (1 = the most at risk)."""
    return tuple(Option(str(i), label, i) for i, label in enumerate(labels, start=1))


@register
class Braden(Instrument):
    code = "braden"
    version = "1987"
    name = "Échelle de Braden (risque d'escarre)"
    short_name = "Braden"
    category = "care"
    source = (
        "Bergstrom, Braden et al., Nurs Res 1987;36:205-10 ; seuils : Ayello et Braden, Adv Skin "
        "Wound Care 2002 ; traduction française : ANAES, conférence de consensus escarres 2001"
    )
    fill_professions = SKIN_FILL
    validate_professions = SKIN_VALIDATE
    score_min, score_max = BRADEN_MIN, BRADEN_MAX
    higher_is_worse = False
    questions = (
        Question(
            "perception",
            "Perception sensorielle",
            help="Capacité à répondre de manière adaptée à l'inconfort provoqué par la pression.",
            options=_options(
                "Complètement limitée : ne réagit pas aux stimuli douloureux (conscience diminuée,"
                " sédation) ou ne ressent pas la douleur sur la majeure partie du corps",
                "Très limitée : ne répond qu'aux stimuli douloureux, n'exprime son inconfort que"
                " par des gémissements ou de l'agitation",
                "Légèrement limitée : répond aux ordres verbaux mais ne peut pas toujours exprimer"
                " son inconfort ou son besoin d'être tourné",
                "Aucune atteinte : répond aux ordres verbaux, sensibilité intacte",
            ),
        ),
        Question(
            "humidite",
            "Humidité",
            help="Degré d'humidité auquel la peau est exposée.",
            options=_options(
                "Constamment humide : humidité constatée à chaque mobilisation",
                "Très humide : peau souvent humide, linge changé au moins une fois par équipe",
                "Occasionnellement humide : un change supplémentaire environ une fois par jour",
                "Rarement humide : peau habituellement sèche",
            ),
        ),
        Question(
            "activite",
            "Activité",
            help="Degré d'activité physique.",
            options=_options(
                "Alité : confiné au lit",
                "Confiné au fauteuil : marche très limitée ou impossible, ne porte pas son poids",
                "Marche occasionnellement : courtes distances, avec ou sans aide, la plupart du"
                " temps au lit ou au fauteuil",
                "Marche fréquemment : hors de la chambre au moins deux fois par jour",
            ),
        ),
        Question(
            "mobilite",
            "Mobilité",
            help="Capacité à changer et contrôler la position du corps.",
            options=_options(
                "Complètement immobile : aucun changement de position sans aide",
                "Très limitée : changements légers et occasionnels, incapable de changements"
                " fréquents ou importants seul",
                "Légèrement limitée : changements fréquents mais légers, seul",
                "Pas de limitation : changements importants et fréquents sans aide",
            ),
        ),
        Question(
            "nutrition",
            "Nutrition",
            help="Mode habituel de prise alimentaire.",
            options=_options(
                "Très pauvre : ne mange jamais un repas complet, rarement plus d'un tiers",
                "Probablement inadéquate : mange rarement un repas complet, environ la moitié",
                "Adéquate : mange plus de la moitié de la plupart des repas",
                "Excellente : mange la quasi-totalité de chaque repas",
            ),
        ),
        Question(
            "friction",
            "Friction et cisaillement",
            options=_options(
                "Problème : aide modérée à maximale pour se mobiliser, glisse souvent dans le lit"
                " ou le fauteuil",
                "Problème potentiel : se mobilise faiblement ou avec une aide minimale, glisse"
                " parfois",
                "Pas de problème apparent : se mobilise seul, garde une bonne position",
            ),
        ),
    )

    def score(self, cleaned: dict) -> Result:
        total = int(self.points(cleaned))
        if total <= BRADEN_VERY_HIGH_MAX:
            status, level = "risque très élevé", "danger"
        elif total <= BRADEN_HIGH_MAX:
            status, level = "risque élevé", "danger"
        elif total <= BRADEN_MODERATE_MAX:
            status, level = "risque modéré", "warn"
        elif total <= BRADEN_AT_RISK_MAX:
            status, level = "risque faible", "warn"
        else:
            status, level = "pas de risque particulier", "ok"
        return Result(
            score=Decimal(total),
            label=f"{total} / {BRADEN_MAX}",
            interpretation=(
                f"Score de Braden {total} (6 à 23, un score bas signale un risque élevé) : {status}. "
                "Repères : 19 et plus, pas de risque particulier ; 15 à 18, risque faible ; 13 à "
                f"14, risque modéré ; 10 à 12, risque élevé ; 9 et moins, risque très élevé. "
                f"{CLINICAL_JUDGEMENT}"
            ),
            level=level,
            details={"total": total, "status": status, **{k: int(cleaned[k]) for k in cleaned}},
        )


# --- Norton -------------------------------------------------------------------------------------
# Norton D, McLaren R, Exton-Smith AN. An investigation of geriatric nursing problems in hospital.
# London: National Corporation for the Care of Old People, 1962 (5 items, 5–20): a score of 14 or
# less means a risk of pressure sores; 12 or less, a high risk.
NORTON_AT_RISK_MAX = 14
NORTON_HIGH_MAX = 12
NORTON_MIN, NORTON_MAX = 5, 20


@register
class Norton(Instrument):
    code = "norton"
    version = "1962"
    name = "Échelle de Norton (risque d'escarre)"
    short_name = "Norton"
    category = "care"
    source = (
        "Norton, McLaren, Exton-Smith, An investigation of geriatric nursing problems in "
        "hospital, 1962 ; ANAES, conférence de consensus escarres 2001"
    )
    fill_professions = SKIN_FILL
    validate_professions = SKIN_VALIDATE
    score_min, score_max = NORTON_MIN, NORTON_MAX
    higher_is_worse = False
    questions = (
        Question(
            "condition_physique",
            "Condition physique",
            options=_options("Très mauvaise", "Pauvre", "Moyenne", "Bonne"),
        ),
        Question(
            "etat_mental",
            "État mental",
            options=_options("Stuporeux / inconscient", "Confus", "Apathique", "Alerte"),
        ),
        Question(
            "activite",
            "Activité",
            options=_options("Alité", "Assis au fauteuil", "Marche avec aide", "Ambulant"),
        ),
        Question(
            "mobilite",
            "Mobilité",
            options=_options("Immobile", "Très limitée", "Légèrement limitée", "Totale"),
        ),
        Question(
            "incontinence",
            "Incontinence",
            options=_options("Urinaire et fécale", "Urinaire", "Occasionnelle", "Aucune"),
        ),
    )

    def score(self, cleaned: dict) -> Result:
        total = int(self.points(cleaned))
        if total <= NORTON_HIGH_MAX:
            status, level = "risque élevé", "danger"
        elif total <= NORTON_AT_RISK_MAX:
            status, level = "à risque", "warn"
        else:
            status, level = "pas de risque particulier", "ok"
        return Result(
            score=Decimal(total),
            label=f"{total} / {NORTON_MAX}",
            interpretation=(
                f"Score de Norton {total} (5 à 20, un score bas signale un risque élevé) : {status}. "
                "Repères : 14 et moins, patient à risque d'escarre ; 12 et moins, risque élevé. "
                f"{CLINICAL_JUDGEMENT}"
            ),
            level=level,
            details={"total": total, "status": status, **{k: int(cleaned[k]) for k in cleaned}},
        )
