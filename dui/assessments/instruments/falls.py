"""Falls: the Timed Up and Go test, the Tinetti Performance-Oriented Mobility Assessment, and the
fall-risk screening of the HAS 2009 recommendations used in EHPAD.

HAS / SFGG, « Évaluation et prise en charge des personnes âgées faisant des chutes répétées »,
recommandations de bonnes pratiques professionnelles, avril 2009 (and HAS / SFDRMG, « Prévention
des chutes accidentelles chez la personne âgée », novembre 2005, for the risk factors).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from .base import Instrument, Option, Question, Result, register

# Physical tests of balance and gait: given by nurses, physiotherapists, occupational therapists
# and physicians; validated by a nurse, a physician or a physiotherapist.
FALLS_FILL = frozenset(
    {
        "ide",
        "idec",
        "cadre_sante",
        "kinesitherapeute",
        "ergotherapeute",
        "medecin",
        "medecin_coordonnateur",
    }
)
FALLS_VALIDATE = frozenset(
    {"ide", "idec", "cadre_sante", "kinesitherapeute", "medecin", "medecin_coordonnateur"}
)


def _fr(number) -> str:
    return format(Decimal(number).normalize(), "f").replace(".", ",")


# --- Timed Up and Go ----------------------------------------------------------------------------
# Podsiadlo D, Richardson S. The timed "Up & Go": a test of basic functional mobility for frail
# elderly persons. J Am Geriatr Soc 1991;39(2):142-8 — rise from an armchair, walk 3 m, turn,
# walk back, sit down, with the usual walking aid; 20 s or more: reduced mobility (French practice
# and the HAS 2009 recommendations read it as a high risk of falling).
# Shumway-Cook A, Brauer S, Woollacott M. Predicting the probability for falls in
# community-dwelling older adults using the Timed Up & Go Test. Phys Ther 2000;80(9):896-903 —
# 13.5 s or more identifies people at increased risk of falling.
TUG_INCREASED_RISK_MIN = Decimal("13.5")
TUG_HIGH_RISK_MIN = Decimal(20)


@register
class TimedUpAndGo(Instrument):
    code = "tug"
    version = "1991"
    name = "Timed Up and Go (test « lever et marcher » chronométré)"
    short_name = "TUG"
    category = "care"
    source = (
        "Podsiadlo et Richardson, J Am Geriatr Soc 1991;39:142-8 ; Shumway-Cook et al., Phys Ther "
        "2000;80:896-903 ; HAS/SFGG, chutes répétées, 2009"
    )
    fill_professions = FALLS_FILL
    validate_professions = FALLS_VALIDATE
    score_min, score_max = 0, 60
    higher_is_worse = True
    questions = (
        Question(
            "temps",
            "Temps pour se lever d'un fauteuil, marcher 3 mètres, faire demi-tour, revenir et"
            " s'asseoir",
            kind="number",
            minimum=1,
            maximum=600,
            decimals=1,
            unit="s",
            help="Chaussage habituel, aide technique habituelle ; chronométrer du départ du dos"
            " jusqu'au retour du dos contre le dossier.",
        ),
        Question(
            "aide_technique",
            "Aide technique utilisée",
            options=(
                Option("aucune", "Aucune"),
                Option("canne", "Canne"),
                Option("deambulateur", "Déambulateur"),
                Option("autre", "Autre"),
            ),
            required=False,
        ),
    )

    def score(self, cleaned: dict) -> Result:
        seconds = Decimal(cleaned["temps"])
        if seconds >= TUG_HIGH_RISK_MIN:
            status, level = "risque de chute élevé (mobilité réduite)", "danger"
        elif seconds >= TUG_INCREASED_RISK_MIN:
            status, level = "risque de chute augmenté", "warn"
        else:
            status, level = "pas d'augmentation du risque de chute à ce test", "ok"
        return Result(
            score=seconds,
            label=f"{_fr(seconds)} s",
            interpretation=(
                f"Timed Up and Go en {_fr(seconds)} s : {status}. Repères : 13,5 s ou plus, risque"
                " de chute augmenté (Shumway-Cook 2000) ; 20 s ou plus, mobilité réduite et risque"
                " de chute élevé (Podsiadlo 1991, HAS 2009)."
            ),
            level=level,
            details={
                "seconds": str(seconds),
                "status": status,
                "walking_aid": cleaned.get("aide_technique", ""),
            },
        )


# --- Tinetti ------------------------------------------------------------------------------------
# Tinetti ME. Performance-oriented assessment of mobility problems in elderly patients. J Am
# Geriatr Soc 1986;34(2):119-26. Balance 16 points + gait 12 points = 28; below 19 a high risk of
# falls, 19 to 24 a risk of falls (moderate), 25 to 28 a low risk.
TINETTI_HIGH_RISK_MAX = 18
TINETTI_MODERATE_RISK_MAX = 24
TINETTI_MAX = 28
BALANCE = "Équilibre (sur 16)"
GAIT = "Marche (sur 12)"


def _scored(*options: tuple[str, int]) -> tuple[Option, ...]:
    return tuple(Option(str(points), label, points) for label, points in options)


@register
class Tinetti(Instrument):
    code = "tinetti"
    version = "1986"
    name = "Test de Tinetti (évaluation de l'équilibre et de la marche, POMA)"
    short_name = "Tinetti"
    category = "care"
    source = "Tinetti, J Am Geriatr Soc 1986;34:119-26"
    fill_professions = FALLS_FILL
    validate_professions = FALLS_VALIDATE
    score_min, score_max = 0, TINETTI_MAX
    higher_is_worse = False
    questions = (
        Question(
            "equilibre_assis",
            "1. Équilibre assis sur une chaise sans accoudoirs",
            options=_scored(("S'incline ou glisse sur la chaise", 0), ("Stable, sûr", 1)),
            group=BALANCE,
        ),
        Question(
            "se_lever",
            "2. Se lever de la chaise",
            options=_scored(
                ("Incapable sans aide", 0),
                ("Capable mais utilise les bras", 1),
                ("Capable sans utiliser les bras", 2),
            ),
            group=BALANCE,
        ),
        Question(
            "tentatives",
            "3. Tentatives pour se lever",
            options=_scored(
                ("Incapable sans aide", 0),
                ("Capable mais nécessite plus d'une tentative", 1),
                ("Capable en une seule tentative", 2),
            ),
            group=BALANCE,
        ),
        Question(
            "equilibre_immediat",
            "4. Équilibre debout immédiat (5 premières secondes)",
            options=_scored(
                ("Instable (titube, bouge les pieds, oscillations marquées du tronc)", 0),
                ("Stable grâce à une aide technique ou en se tenant", 1),
                ("Stable sans aide ni appui", 2),
            ),
            group=BALANCE,
        ),
        Question(
            "equilibre_debout",
            "5. Équilibre debout",
            options=_scored(
                ("Instable", 0),
                (
                    "Stable avec un polygone de sustentation large (talons écartés de plus de 10 cm)"
                    " ou avec une aide",
                    1,
                ),
                ("Stable, pieds rapprochés, sans aide", 2),
            ),
            group=BALANCE,
        ),
        Question(
            "poussee",
            "6. Poussée sternale (pieds joints, l'examinateur pousse légèrement 3 fois)",
            options=_scored(
                ("Commence à tomber", 0),
                ("Chancelle, s'agrippe, mais maintient son équilibre", 1),
                ("Stable", 2),
            ),
            group=BALANCE,
        ),
        Question(
            "yeux_fermes",
            "7. Yeux fermés (même position)",
            options=_scored(("Instable", 0), ("Stable", 1)),
            group=BALANCE,
        ),
        Question(
            "rotation_pas",
            "8a. Rotation de 360° : continuité des pas",
            options=_scored(("Pas discontinus", 0), ("Pas continus", 1)),
            group=BALANCE,
        ),
        Question(
            "rotation_stabilite",
            "8b. Rotation de 360° : stabilité",
            options=_scored(("Instable (titube, s'agrippe)", 0), ("Stable", 1)),
            group=BALANCE,
        ),
        Question(
            "s_asseoir",
            "9. S'asseoir",
            options=_scored(
                ("Hésitant (se trompe sur la distance, tombe sur la chaise)", 0),
                ("Utilise les bras ou mouvement brusque", 1),
                ("Stable, mouvement régulier", 2),
            ),
            group=BALANCE,
        ),
        Question(
            "initiation",
            "10. Initiation de la marche (immédiatement après l'ordre de marcher)",
            options=_scored(("Hésitations ou plusieurs tentatives", 0), ("Sans hésitation", 1)),
            group=GAIT,
        ),
        Question(
            "pas_droit_depasse",
            "11a. Pied droit : dépasse le pied gauche en avant",
            options=_scored(("Non", 0), ("Oui", 1)),
            group=GAIT,
        ),
        Question(
            "pas_droit_decolle",
            "11b. Pied droit : décolle complètement du sol",
            options=_scored(("Non", 0), ("Oui", 1)),
            group=GAIT,
        ),
        Question(
            "pas_gauche_depasse",
            "11c. Pied gauche : dépasse le pied droit en avant",
            options=_scored(("Non", 0), ("Oui", 1)),
            group=GAIT,
        ),
        Question(
            "pas_gauche_decolle",
            "11d. Pied gauche : décolle complètement du sol",
            options=_scored(("Non", 0), ("Oui", 1)),
            group=GAIT,
        ),
        Question(
            "symetrie",
            "12. Symétrie des pas",
            options=_scored(
                ("Longueurs des pas droit et gauche inégales", 0),
                ("Longueurs des pas droit et gauche égales", 1),
            ),
            group=GAIT,
        ),
        Question(
            "continuite",
            "13. Continuité des pas",
            options=_scored(("Arrêts ou discontinuité des pas", 0), ("Pas continus", 1)),
            group=GAIT,
        ),
        Question(
            "trajectoire",
            "14. Trajectoire (sur environ 3 m)",
            options=_scored(
                ("Déviation marquée", 0),
                ("Déviation légère ou modérée, ou utilise une aide", 1),
                ("Marche droit sans aide", 2),
            ),
            group=GAIT,
        ),
        Question(
            "tronc",
            "15. Tronc",
            options=_scored(
                ("Balancement marqué ou utilise une aide", 0),
                ("Sans balancement mais fléchit les genoux ou le dos, ou écarte les bras", 1),
                ("Sans balancement, sans flexion, sans s'aider des bras ni d'une aide", 2),
            ),
            group=GAIT,
        ),
        Question(
            "attitude",
            "16. Attitude pendant la marche",
            options=_scored(("Talons séparés", 0), ("Talons se touchant presque", 1)),
            group=GAIT,
        ),
    )

    def score(self, cleaned: dict) -> Result:
        def subtotal(group: str) -> int:
            return sum(int(cleaned[q.key]) for q in self.questions if q.group == group)

        balance, gait = subtotal(BALANCE), subtotal(GAIT)
        total = balance + gait
        if total <= TINETTI_HIGH_RISK_MAX:
            status, level = "risque de chute élevé", "danger"
        elif total <= TINETTI_MODERATE_RISK_MAX:
            status, level = "risque de chute modéré", "warn"
        else:
            status, level = "risque de chute faible", "ok"
        return Result(
            score=Decimal(total),
            label=f"{total} / {TINETTI_MAX}",
            interpretation=(
                f"Score de Tinetti {total}/{TINETTI_MAX} (équilibre {balance}/16, marche "
                f"{gait}/12) : {status}. Repères : moins de 19, risque élevé ; 19 à 24, risque "
                "modéré ; 25 à 28, risque faible."
            ),
            level=level,
            details={"total": total, "balance": balance, "gait": gait, "status": status},
        )


# --- Fall-risk screening (HAS 2009) -------------------------------------------------------------
# HAS/SFGG 2009: "chutes répétées" = at least two falls over twelve months; the risk factors to
# look for, and the signs of severity (consequences of the fall, its cause, recurrence, terrain)
# that call for a prompt medical assessment. The texts give no points and no threshold on the
# number of factors (the risk grows with their number): the score is that number, and the level
# only reflects the texts' own rules (a sign of severity; repeated falls).
REPEATED_FALLS_MIN = 2

RISK_FACTORS = (
    ("age_80", "Âge de 80 ans ou plus"),
    ("sexe_feminin", "Sexe féminin"),
    ("antecedent_fracture", "Antécédents de fracture traumatique"),
    ("polymedication", "Polymédication (plus de 4 médicaments par jour)"),
    ("psychotropes", "Prise de psychotropes"),
    ("marche_equilibre", "Troubles de la marche et/ou de l'équilibre"),
    (
        "force_musculaire",
        "Diminution de la force ou de la puissance musculaire des membres inférieurs",
    ),
    ("arthrose", "Arthrose des membres inférieurs et/ou du rachis"),
    ("pieds", "Anomalies des pieds"),
    ("sensibilite", "Troubles de la sensibilité des membres inférieurs"),
    ("vision", "Baisse de l'acuité visuelle"),
    ("depression", "Syndrome dépressif"),
    ("cognition", "Déclin cognitif"),
)

SEVERITY_SIGNS = (
    (
        "traumatisme",
        "Traumatisme lors d'une chute (fracture, traumatisme crânien, plaie, hématome important)",
    ),
    ("station_au_sol", "Impossibilité de se relever seul du sol, séjour prolongé au sol"),
    ("post_chute", "Syndrome post-chute (peur de tomber, rétropulsion, restriction des activités)"),
    (
        "cause_aigue",
        "Chute révélant une maladie aiguë (malaise, perte de connaissance, infection…)",
    ),
    ("frequence_croissante", "Augmentation récente de la fréquence des chutes"),
    ("osteoporose", "Ostéoporose avérée"),
    ("anticoagulants", "Traitement anticoagulant"),
    ("isolement", "Isolement social et familial"),
)

RISK_GROUP = "Facteurs de risque de chute"
SEVERITY_GROUP = "Signes de gravité"


@register
class FallRiskScreening(Instrument):
    code = "chutes_has"
    version = "2009"
    name = "Repérage du risque de chute (HAS 2009)"
    short_name = "Risque de chute"
    category = "care"
    source = (
        "HAS/SFGG, Évaluation et prise en charge des personnes âgées faisant des chutes "
        "répétées, avril 2009 ; HAS/SFDRMG, Prévention des chutes accidentelles, 2005"
    )
    # The checklist is filled by the care team (aides-soignants see falls first); the nurse or
    # the physician validates and decides the assessment that follows.
    fill_professions = frozenset(
        {
            "as",
            "aes",
            "amp",
            "ide",
            "idec",
            "cadre_sante",
            "kinesitherapeute",
            "ergotherapeute",
            "medecin",
            "medecin_coordonnateur",
        }
    )
    validate_professions = frozenset(
        {"ide", "idec", "cadre_sante", "medecin", "medecin_coordonnateur"}
    )
    score_min, score_max = 0, len(RISK_FACTORS)
    higher_is_worse = True
    questions = (
        Question(
            "chutes_12_mois",
            "Nombre de chutes au cours des 12 derniers mois",
            kind="number",
            minimum=0,
            maximum=365,
            group="Chutes",
            help="Chutes répétées : au moins deux chutes sur douze mois (HAS 2009).",
        ),
        *(Question(key, label, kind="boolean", group=RISK_GROUP) for key, label in RISK_FACTORS),
        *(
            Question(key, label, kind="boolean", group=SEVERITY_GROUP)
            for key, label in SEVERITY_SIGNS
        ),
    )

    def _clean_value(self, q: Question, value):
        """A number of falls is a whole number: 2,5 is refused rather than rounded."""
        cleaned = super()._clean_value(q, value)
        if q.kind == "number" and Decimal(str(value).replace(",", ".")) != Decimal(cleaned):
            raise ValidationError("Donnez un nombre entier.")
        return cleaned

    def points(self, cleaned: dict) -> Decimal | None:
        """Live subtotal: the number of risk factors ticked so far."""
        answered = [key for key, _label in RISK_FACTORS if key in cleaned]
        if not answered:
            return None
        return Decimal(sum(1 for key in answered if cleaned[key]))

    def score(self, cleaned: dict) -> Result:
        falls = int(Decimal(cleaned["chutes_12_mois"]))
        factors = [label for key, label in RISK_FACTORS if cleaned[key]]
        signs = [label for key, label in SEVERITY_SIGNS if cleaned[key]]
        repeated = falls >= REPEATED_FALLS_MIN
        parts = [
            f"{falls} chute(s) sur 12 mois"
            + (" : chutes répétées (au moins deux sur douze mois)." if repeated else "."),
            f"{len(factors)} facteur(s) de risque sur {len(RISK_FACTORS)}"
            + (" : " + ", ".join(f.lower() for f in factors) + "." if factors else "."),
        ]
        if signs:
            parts.append(
                "Signe(s) de gravité : "
                + ", ".join(s.lower() for s in signs)
                + ". Une évaluation médicale rapide est recommandée (HAS 2009)."
            )
            level = "danger"
        elif repeated:
            parts.append(
                "Chutes répétées : une évaluation médicale et multifactorielle est recommandée "
                "(HAS 2009)."
            )
            level = "warn"
        elif factors or falls:
            parts.append("Le risque de chute croît avec le nombre de facteurs de risque.")
            level = "warn"
        else:
            level = "ok"
        return Result(
            score=Decimal(len(factors)),
            label=f"{len(factors)} facteur(s) · {falls} chute(s)",
            interpretation=" ".join(parts),
            level=level,
            details={
                "falls_12_months": falls,
                "repeated_falls": repeated,
                "risk_factors": [key for key, _label in RISK_FACTORS if cleaned[key]],
                "severity_signs": [key for key, _label in SEVERITY_SIGNS if cleaned[key]],
            },
        )
