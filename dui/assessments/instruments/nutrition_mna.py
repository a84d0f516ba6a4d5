"""MNA® (Mini Nutritional Assessment): the short form (MNA-SF, 6 items, 14 points) and the full
form (18 items, 30 points), as printed on the Nestlé Nutrition Institute French forms.

Items, options and points follow the forms; the cut-offs are those printed on them:
- MNA-SF: Rubenstein LZ, Harker JO, Salvà A, Guigoz Y, Vellas B. Screening for undernutrition in
  geriatric practice: developing the Short-Form Mini Nutritional Assessment (MNA-SF). J Gerontol
  A Biol Sci Med Sci 2001;56(6):M366-72; Kaiser MJ, Bauer JM, Ramsch C et al. Validation of the
  Mini Nutritional Assessment Short-Form (MNA®-SF). J Nutr Health Aging 2009;13(9):782-8 (this
  version adds the calf circumference F2 when the BMI F1 cannot be obtained).
- full MNA: Guigoz Y, Vellas B, Garry PJ. Mini Nutritional Assessment: a practical assessment
  tool for grading the nutritional state of elderly patients. Facts Res Gerontol 1994;suppl 2:
  15-59; Vellas B, Guigoz Y, Garry PJ et al. The Mini Nutritional Assessment (MNA) and its use in
  grading the nutritional state of elderly patients. Nutrition 1999;15(2):116-22.
The MNA is a screening and assessment tool; the diagnosis of undernutrition (HAS 2021) is made
elsewhere (dui/care/nutrition.py) and uses the MNA as one input.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from .base import Instrument, Option, Question, Result, register

# MNA-SF cut-offs (score de dépistage, Kaiser et al. 2009; Nestlé Nutrition Institute form):
# 12–14 état nutritionnel normal, 8–11 à risque de dénutrition, 0–7 dénutrition avérée.
MNA_SF_NORMAL_MIN = 12
MNA_SF_AT_RISK_MIN = 8
MNA_SF_MAX = 14

# Full MNA cut-offs (Guigoz, Vellas, Garry 1994; Vellas et al. 1999; Nestlé form):
# 24–30 état nutritionnel normal, 17–23,5 risque de malnutrition, < 17 mauvais état nutritionnel.
MNA_NORMAL_MIN = Decimal(24)
MNA_AT_RISK_MIN = Decimal(17)
MNA_MAX = 30

# The nutrition assessment is done by nurses and physicians (the MNA manual: "professionnel de
# santé formé"); the conclusion feeds the medical diagnosis of undernutrition, so a physician or
# the coordinating nurse validates.
MNA_FILL = frozenset({"ide", "idec", "cadre_sante", "medecin", "medecin_coordonnateur"})
MNA_VALIDATE = frozenset({"idec", "medecin", "medecin_coordonnateur"})

SCREENING = "Dépistage"
GLOBAL = "Évaluation globale"


def _fr(number) -> str:
    """23.5 → "23,5"; 24.0 → "24" (French decimal comma)."""
    return format(Decimal(number).normalize(), "f").replace(".", ",")


def _plain(number) -> str:
    """23.5 → "23.5"; 16.0 → "16" (for details, JSON)."""
    return format(Decimal(number).normalize(), "f")


def _given(value) -> bool:
    return value not in (None, "", {})


def _screening_questions(*, with_calf_alternative: bool) -> tuple[Question, ...]:
    bmi_help = "IMC = poids (kg) / taille (m)²."
    if with_calf_alternative:
        bmi_help += (
            " Si l'IMC n'est pas disponible, répondez à F2 à la place de F1 ; ne répondez pas à F2"
            " si F1 est renseignée."
        )
    questions = [
        Question(
            "a",
            "A. Le patient présente-t-il une perte d'appétit ? A-t-il mangé moins ces 3 derniers"
            " mois par manque d'appétit, problèmes digestifs, difficultés de mastication ou de"
            " déglutition ?",
            options=(
                Option("0", "Baisse sévère des prises alimentaires", 0),
                Option("1", "Légère baisse des prises alimentaires", 1),
                Option("2", "Pas de baisse des prises alimentaires", 2),
            ),
            group=SCREENING,
        ),
        Question(
            "b",
            "B. Perte récente de poids (< 3 mois)",
            options=(
                Option("0", "Perte de poids > 3 kg", 0),
                Option("1", "Ne sait pas", 1),
                Option("2", "Perte de poids entre 1 et 3 kg", 2),
                Option("3", "Pas de perte de poids", 3),
            ),
            group=SCREENING,
        ),
        Question(
            "c",
            "C. Motricité",
            options=(
                Option("0", "Du lit au fauteuil", 0),
                Option("1", "Autonome à l'intérieur", 1),
                Option("2", "Sort du domicile", 2),
            ),
            group=SCREENING,
        ),
        Question(
            "d",
            "D. Maladie aiguë ou stress psychologique au cours des 3 derniers mois ?",
            options=(Option("0", "Oui", 0), Option("2", "Non", 2)),
            group=SCREENING,
        ),
        Question(
            "e",
            "E. Problèmes neuropsychologiques",
            options=(
                Option("0", "Démence ou dépression sévère", 0),
                Option("1", "Démence légère", 1),
                Option("2", "Pas de problème psychologique", 2),
            ),
            group=SCREENING,
        ),
        Question(
            "f1",
            "F1. Indice de masse corporelle (IMC)",
            options=(
                Option("0", "IMC < 19", 0),
                Option("1", "19 ≤ IMC < 21", 1),
                Option("2", "21 ≤ IMC < 23", 2),
                Option("3", "IMC ≥ 23", 3),
            ),
            help=bmi_help,
            group=SCREENING,
            required=not with_calf_alternative,
        ),
    ]
    if with_calf_alternative:
        questions.append(
            Question(
                "f2",
                "F2. Circonférence du mollet (CM) en cm",
                options=(Option("0", "CM < 31", 0), Option("3", "CM ≥ 31", 3)),
                help="Seulement si l'IMC (F1) n'est pas disponible.",
                group=SCREENING,
                required=False,
            )
        )
    return tuple(questions)


@register
class MnaShortForm(Instrument):
    code = "mna_sf"
    version = "2009"
    name = "Mini Nutritional Assessment – version courte (MNA®-SF)"
    short_name = "MNA-SF"
    category = "care"  # nursing screening of the nutritional state, part of the care plan
    source = (
        "Nestlé Nutrition Institute, formulaire MNA®-SF ; Rubenstein et al., J Gerontol 2001 ; "
        "Kaiser et al., J Nutr Health Aging 2009;13:782-8"
    )
    fill_professions = MNA_FILL
    validate_professions = MNA_VALIDATE
    score_min, score_max = 0, MNA_SF_MAX
    higher_is_worse = False
    questions = _screening_questions(with_calf_alternative=True)

    def clean(self, answers: dict, *, complete: bool = True) -> dict:
        """F1 (BMI) or, when the BMI cannot be obtained, F2 (calf circumference): exactly one of
        them counts (form instructions: "ne pas répondre à F2 si F1 est déjà complétée")."""
        errors: dict[str, list[str]] = {}
        cleaned: dict = {}
        try:
            cleaned = super().clean(answers, complete=complete)
        except ValidationError as error:
            errors = dict(error.message_dict)
        has_bmi, has_calf = _given(answers.get("f1")), _given(answers.get("f2"))
        if has_bmi and has_calf:
            errors.setdefault("f2", []).append(
                "Ne répondez pas à F2 quand l'IMC (F1) est renseigné : une seule des deux compte."
            )
        elif complete and not has_bmi and not has_calf:
            errors.setdefault("f1", []).append(
                "Répondez à F1 (IMC) ou, si l'IMC n'est pas disponible, à F2 (circonférence du mollet)."
            )
        if errors:
            raise ValidationError(errors)
        return cleaned

    def score(self, cleaned: dict) -> Result:
        total = int(self.points(cleaned))
        if total >= MNA_SF_NORMAL_MIN:
            status, level = "état nutritionnel normal", "ok"
        elif total >= MNA_SF_AT_RISK_MIN:
            status, level = "à risque de dénutrition", "warn"
        else:
            status, level = "dénutrition avérée", "danger"
        measure = "IMC (F1)" if "f1" in cleaned else "circonférence du mollet (F2)"
        return Result(
            score=Decimal(total),
            label=f"{total} / {MNA_SF_MAX}",
            interpretation=(
                f"Score de dépistage {total}/{MNA_SF_MAX} : {status}. "
                "Repères MNA-SF : 12 à 14 points, état nutritionnel normal ; 8 à 11 points, "
                "à risque de dénutrition ; 0 à 7 points, dénutrition avérée. "
                f"Mesure retenue : {measure}."
            ),
            level=level,
            details={
                "total": total,
                "status": status,
                "measure": "f1" if "f1" in cleaned else "f2",
            },
        )


# K: three yes/no questions combined into 0 / 0,5 / 1 point (full MNA form).
K_ITEMS = ("k1", "k2", "k3")
YES_NO_NO_POINTS = (Option("oui", "Oui"), Option("non", "Non"))


def _k_points(cleaned: dict) -> Decimal | None:
    if not all(k in cleaned for k in K_ITEMS):
        return None
    yes = sum(1 for k in K_ITEMS if cleaned[k] == "oui")
    if yes == 3:
        return Decimal("1.0")
    if yes == 2:
        return Decimal("0.5")
    return Decimal("0.0")


@register
class MnaFull(Instrument):
    code = "mna"
    version = "1999"
    name = "Mini Nutritional Assessment (MNA®) – version complète"
    short_name = "MNA"
    category = "care"  # nursing assessment of the nutritional state, part of the care plan
    source = (
        "Nestlé Nutrition Institute, formulaire MNA® ; Guigoz, Vellas, Garry, Facts Res "
        "Gerontol 1994 ; Vellas et al., Nutrition 1999;15:116-22"
    )
    fill_professions = MNA_FILL
    validate_professions = MNA_VALIDATE
    score_min, score_max = 0, MNA_MAX
    higher_is_worse = False
    questions = (
        *_screening_questions(with_calf_alternative=False),
        Question(
            "g",
            "G. Le patient vit-il de façon indépendante à domicile ?",
            options=(Option("1", "Oui", 1), Option("0", "Non", 0)),
            group=GLOBAL,
        ),
        Question(
            "h",
            "H. Prend plus de 3 médicaments par jour ?",
            options=(Option("0", "Oui", 0), Option("1", "Non", 1)),
            group=GLOBAL,
        ),
        Question(
            "i",
            "I. Escarres ou plaies cutanées ?",
            options=(Option("0", "Oui", 0), Option("1", "Non", 1)),
            group=GLOBAL,
        ),
        Question(
            "j",
            "J. Combien de véritables repas le patient prend-il par jour ?",
            options=(
                Option("0", "1 repas", 0),
                Option("1", "2 repas", 1),
                Option("2", "3 repas", 2),
            ),
            group=GLOBAL,
        ),
        Question(
            "k1",
            "K. Consomme-t-il une fois par jour au moins des produits laitiers ?",
            options=YES_NO_NO_POINTS,
            help="K compte 0 point pour 0 ou 1 oui, 0,5 pour 2 oui, 1 pour 3 oui.",
            group=GLOBAL,
        ),
        Question(
            "k2",
            "K. Consomme-t-il une ou deux fois par semaine des œufs ou des légumineuses ?",
            options=YES_NO_NO_POINTS,
            group=GLOBAL,
        ),
        Question(
            "k3",
            "K. Consomme-t-il chaque jour de la viande, du poisson ou de la volaille ?",
            options=YES_NO_NO_POINTS,
            group=GLOBAL,
        ),
        Question(
            "l",
            "L. Consomme-t-il deux fois par jour au moins des fruits ou des légumes ?",
            options=(Option("0", "Non", 0), Option("1", "Oui", 1)),
            group=GLOBAL,
        ),
        Question(
            "m",
            "M. Combien de verres de boissons consomme-t-il par jour ? (eau, jus, café, thé, lait…)",
            options=(
                Option("0", "Moins de 3 verres", Decimal("0.0")),
                Option("0.5", "De 3 à 5 verres", Decimal("0.5")),
                Option("1", "Plus de 5 verres", Decimal("1.0")),
            ),
            group=GLOBAL,
        ),
        Question(
            "n",
            "N. Manière de se nourrir",
            options=(
                Option("0", "Nécessite une assistance", 0),
                Option("1", "Se nourrit seul avec difficulté", 1),
                Option("2", "Se nourrit seul sans difficulté", 2),
            ),
            group=GLOBAL,
        ),
        Question(
            "o",
            "O. Le patient se considère-t-il bien nourri ?",
            options=(
                Option("0", "Se considère comme dénutri", 0),
                Option("1", "N'est pas certain de son état nutritionnel", 1),
                Option("2", "Se considère comme n'ayant pas de problème de nutrition", 2),
            ),
            group=GLOBAL,
        ),
        Question(
            "p",
            "P. Le patient se sent-il en meilleure ou en moins bonne santé que la plupart des"
            " personnes de son âge ?",
            options=(
                Option("0", "Moins bonne", Decimal("0.0")),
                Option("0.5", "Ne sait pas", Decimal("0.5")),
                Option("1", "Aussi bonne", Decimal("1.0")),
                Option("2", "Meilleure", Decimal("2.0")),
            ),
            group=GLOBAL,
        ),
        Question(
            "q",
            "Q. Circonférence brachiale (CB) en cm",
            options=(
                Option("0", "CB < 21", Decimal("0.0")),
                Option("0.5", "21 ≤ CB ≤ 22", Decimal("0.5")),
                Option("1", "CB > 22", Decimal("1.0")),
            ),
            group=GLOBAL,
        ),
        Question(
            "r",
            "R. Circonférence du mollet (CM) en cm",
            options=(Option("0", "CM < 31", 0), Option("1", "CM ≥ 31", 1)),
            group=GLOBAL,
        ),
    )

    SCREENING_KEYS = ("a", "b", "c", "d", "e", "f1")

    def points(self, cleaned: dict) -> Decimal | None:
        """The points of the choices, plus item K once its three questions are answered."""
        total = super().points(cleaned)
        k = _k_points(cleaned)
        if k is not None:
            total = (total or Decimal(0)) + k
        return total

    def score(self, cleaned: dict) -> Result:
        screening = sum(
            (
                Decimal(str(self.question(key).option(cleaned[key]).points))
                for key in self.SCREENING_KEYS
            ),
            Decimal(0),
        )
        total = self.points(cleaned)
        global_part = total - screening
        if total >= MNA_NORMAL_MIN:
            status, level = "état nutritionnel normal", "ok"
        elif total >= MNA_AT_RISK_MIN:
            status, level = "risque de malnutrition", "warn"
        else:
            status, level = "mauvais état nutritionnel", "danger"
        return Result(
            score=total,
            label=f"{_fr(total)} / {MNA_MAX}",
            interpretation=(
                f"Score total {_fr(total)}/{MNA_MAX} : {status} (dépistage {_fr(screening)}/14, "
                f"évaluation globale {_fr(global_part)}/16). Repères MNA : 24 à 30 points, état "
                "nutritionnel normal ; 17 à 23,5 points, risque de malnutrition ; moins de 17 "
                "points, mauvais état nutritionnel."
            ),
            level=level,
            details={
                "screening": _plain(screening),
                "global": _plain(global_part),
                "total": _plain(total),
                "status": status,
            },
        )
