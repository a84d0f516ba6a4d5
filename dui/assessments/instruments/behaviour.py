"""NPI-ES: Inventaire neuropsychiatrique, version pour équipes soignantes (nursing-home version).

Cummings JL, Mega M, Gray K, Rosenberg-Thompson S, Carusi DA, Gornbein J. The Neuropsychiatric
Inventory: comprehensive assessment of psychopathology in dementia. Neurology 1994;44(12):2308-14.
Wood S, Cummings JL, Hsu MA et al. The use of the Neuropsychiatric Inventory in nursing home
residents: characterization and measurement. Am J Geriatr Psychiatry 2000;8(1):75-83 (NPI-NH, the
version for professional caregivers). French version: Robert PH, Médecin I, Vincent S, Staccini P,
Cattelin F, Goni S. L'inventaire neuropsychiatrique : validation de la version française d'un
instrument destiné à évaluer les troubles du comportement chez les sujets déments. L'Année
Gérontologique 1998; NPI-ES form and instructions as distributed by the SFGG (programme
MobiQual) and the CMRR de Nice.

Twelve domains (10 behavioural, 2 neurovegetative). For each domain present: frequency 1–4 ×
severity 1–3 = the domain score (0–12); the total is the sum (0–144). The carer's own disruption
("retentissement sur les occupations professionnelles", 0–5) is recorded per domain but is not
part of the total. The publications give no threshold on the total: the result shows the domains
present and their scores, without a verdict.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from .base import Instrument, Option, Question, Result, register

DOMAINS = (
    ("delires", "A", "Idées délirantes", "Croyances fausses : être volé, persécuté, trompé…"),
    (
        "hallucinations",
        "B",
        "Hallucinations",
        "Voit, entend ou ressent des choses qui n'existent pas.",
    ),
    (
        "agitation",
        "C",
        "Agitation / Agressivité",
        "Du refus de l'aide à l'opposition ou aux coups.",
    ),
    (
        "depression",
        "D",
        "Dépression / Dysphorie",
        "Tristesse, découragement, pleurs, idées de mort.",
    ),
    ("anxiete", "E", "Anxiété", "Inquiétude, tension, peur d'être séparé de ses proches."),
    (
        "euphorie",
        "F",
        "Exaltation de l'humeur / Euphorie",
        "Joie excessive, sans raison ou disproportionnée.",
    ),
    (
        "apathie",
        "G",
        "Apathie / Indifférence",
        "Perte d'intérêt pour son entourage et ses activités.",
    ),
    ("desinhibition", "H", "Désinhibition", "Agit ou parle de façon impulsive, sans retenue."),
    (
        "irritabilite",
        "I",
        "Irritabilité / Instabilité de l'humeur",
        "Impatience, sautes d'humeur, colères.",
    ),
    (
        "comportement_moteur",
        "J",
        "Comportement moteur aberrant",
        "Déambulation, gestes répétitifs sans but.",
    ),
    ("sommeil", "K", "Sommeil", "Troubles du sommeil ou comportements nocturnes nouveaux."),
    (
        "appetit",
        "L",
        "Appétit / Troubles de l'appétit",
        "Changement de l'appétit, du poids ou des goûts alimentaires.",
    ),
)

FREQUENCY = (
    Option("1", "1 – Quelquefois : moins d'une fois par semaine"),
    Option("2", "2 – Assez souvent : environ une fois par semaine"),
    Option("3", "3 – Fréquemment : plusieurs fois par semaine mais pas tous les jours"),
    Option("4", "4 – Très fréquemment : tous les jours ou pratiquement tout le temps"),
)
SEVERITY = (
    Option("1", "1 – Léger : changements peu perturbants pour la personne"),
    Option("2", "2 – Moyen : plus perturbants, mais sensibles à l'intervention du soignant"),
    Option("3", "3 – Important : très perturbants et insensibles à l'intervention du soignant"),
)
DISRUPTION = (
    Option("0", "0 – Pas du tout"),
    Option("1", "1 – Perturbation minimum"),
    Option("2", "2 – Légèrement"),
    Option("3", "3 – Modérément"),
    Option("4", "4 – Assez sévèrement"),
    Option("5", "5 – Très sévèrement ou extrêmement"),
)
RATINGS = ("frequence", "gravite", "retentissement")
NPI_ES_MAX = 144


def _domain_questions(key: str, letter: str, title: str, help_text: str) -> tuple[Question, ...]:
    group = f"{letter}. {title}"
    return (
        Question(
            f"{key}_present",
            f"{title} : trouble présent ?",
            kind="boolean",
            group=group,
            help=help_text,
        ),
        Question(f"{key}_frequence", "Fréquence", options=FREQUENCY, group=group, required=False),
        Question(f"{key}_gravite", "Gravité", options=SEVERITY, group=group, required=False),
        Question(
            f"{key}_retentissement",
            "Retentissement sur les occupations professionnelles du soignant",
            options=DISRUPTION,
            group=group,
            required=False,
            help="Noté à part : n'entre pas dans le score total.",
        ),
    )


def _given(value) -> bool:
    return value not in (None, "", {})


@register
class NpiEs(Instrument):
    code = "npi_es"
    version = "1998"
    name = "Inventaire neuropsychiatrique – version équipe soignante (NPI-ES)"
    short_name = "NPI-ES"
    # "care": the NPI-ES is filled by (or with) a member of the care team about behaviours seen
    # in daily care, and its result shapes the care plan (HAS 2009, troubles du comportement
    # perturbateurs); it is not a psychological assessment of the person by a psychologist.
    category = "care"
    source = (
        "Cummings et al., Neurology 1994;44:2308-14 ; Wood et al., Am J Geriatr Psychiatry "
        "2000;8:75-83 (NPI-NH) ; version française : Robert et al., Année Gérontol 1998 ; "
        "formulaire NPI-ES SFGG/MobiQual"
    )
    # Answered by a carer who knows the person (aides-soignants included), or by an interviewer
    # with that carer; read by the physician, the psychologist or the coordinating nurse.
    fill_professions = frozenset(
        {
            "as",
            "aes",
            "amp",
            "ide",
            "idec",
            "cadre_sante",
            "psychologue",
            "medecin",
            "medecin_coordonnateur",
        }
    )
    validate_professions = frozenset({"idec", "psychologue", "medecin", "medecin_coordonnateur"})
    score_min, score_max = 0, NPI_ES_MAX
    higher_is_worse = True
    questions = tuple(q for domain in DOMAINS for q in _domain_questions(*domain))

    def clean(self, answers: dict, *, complete: bool = True) -> dict:
        """A domain present is rated (frequency, severity, disruption); a domain absent is not."""
        errors: dict[str, list[str]] = {}
        cleaned: dict = {}
        try:
            cleaned = super().clean(answers, complete=complete)
        except ValidationError as error:
            errors = dict(error.message_dict)
        for key, _letter, title, _help in DOMAINS:
            present = cleaned.get(f"{key}_present")
            for rating in RATINGS:
                field = f"{key}_{rating}"
                if field in errors:
                    continue
                given = _given(answers.get(field))
                if present is False and given:
                    errors[field] = [f"{title} est noté absent : ne cotez pas ce domaine."]
                elif present is True and complete and not given:
                    errors[field] = ["Le trouble est présent : cotez-le."]
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _domain_scores(self, cleaned: dict) -> dict[str, int]:
        scores = {}
        for key, *_rest in DOMAINS:
            frequency, severity = cleaned.get(f"{key}_frequence"), cleaned.get(f"{key}_gravite")
            if cleaned.get(f"{key}_present") and frequency and severity:
                scores[key] = int(frequency) * int(severity)
        return scores

    def points(self, cleaned: dict) -> Decimal | None:
        """Live subtotal: frequency × severity of the domains rated so far."""
        scores = self._domain_scores(cleaned)
        return Decimal(sum(scores.values())) if scores else None

    def score(self, cleaned: dict) -> Result:
        scores = self._domain_scores(cleaned)
        total = sum(scores.values())
        disruption = sum(
            int(cleaned[f"{key}_retentissement"])
            for key, *_rest in DOMAINS
            if cleaned.get(f"{key}_present")
        )
        titles = {key: title for key, _letter, title, _help in DOMAINS}
        if scores:
            present = " ; ".join(
                f"{titles[key].lower()} {value}/12" for key, value in scores.items()
            )
            text = (
                f"Score total NPI-ES {total}/{NPI_ES_MAX} (somme fréquence × gravité des domaines "
                f"présents). Domaines présents : {present}. Retentissement sur l'équipe "
                f"{disruption}/{5 * len(scores)} (hors total)."
            )
            level = "warn"
        else:
            text = "Aucun trouble du comportement relevé dans les douze domaines (score 0/144)."
            level = "ok"
        return Result(
            score=Decimal(total),
            label=f"{total} / {NPI_ES_MAX}",
            interpretation=text,
            level=level,
            details={"total": total, "domains": scores, "disruption": disruption},
        )
