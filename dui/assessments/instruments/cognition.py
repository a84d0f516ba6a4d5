"""MMSE (Mini-Mental State Examination), French consensual version of the GRECO.

Folstein MF, Folstein SE, McHugh PR. "Mini-mental state": a practical method for grading the
cognitive state of patients for the clinician. J Psychiatr Res 1975;12(3):189-98.
Derouesné C, Poitrenaud J, Hugonot L, Kalafat M, Dubois B, Laurent B, au nom du GRECO. Le
Mini-Mental State Examination (MMSE) : un outil pratique pour l'évaluation de l'état cognitif des
patients par le clinicien. Version française consensuelle. Presse Méd 1999;28(21):1141-8.
Kalafat M, Hugonot-Diener L, Poitrenaud J. Standardisation et étalonnage français du « Mini
Mental State » (MMS) version GRECO. Rev Neuropsychol 2003;13(2):209-36 (norms by age, sex and
niveau socio-culturel).

30 items scored 1 (correct) or 0, in six domains; total 0–30. The score has no single normal
threshold: its reading depends on age and on the niveau socio-culturel (Kalafat et al. 2003), and
the MMSE alone makes no diagnosis. The instrument therefore shows the total and the domain
sub-scores with a neutral text and records the niveau socio-culturel for the clinician; it gives
no normal/abnormal verdict.
"""

from __future__ import annotations

from decimal import Decimal

from .base import Instrument, Option, Question, Result, register

PASS_FAIL = (Option("1", "Réussi", 1), Option("0", "Échec", 0))

# (group, max) — domains of the GRECO form.
ORIENTATION = "Orientation"
LEARNING = "Apprentissage"
ATTENTION = "Attention et calcul"
RECALL = "Rappel"
LANGUAGE = "Langage"
PRAXIS = "Praxies constructives"
DOMAINS = (
    (ORIENTATION, 10),
    (LEARNING, 3),
    (ATTENTION, 5),
    (RECALL, 3),
    (LANGUAGE, 8),
    (PRAXIS, 1),
)
MMSE_MAX = 30

# Niveau socio-culturel: the four levels of the GRECO norms (Kalafat et al. 2003), recorded for
# the clinician's reading of the total; it changes nothing in the score.
NSC_OPTIONS = (
    Option("1", "NSC 1 : sans diplôme, scolarité primaire sans certificat d'études"),
    Option("2", "NSC 2 : certificat d'études primaires (CEP)"),
    Option("3", "NSC 3 : brevet, BEPC, CAP ou BEP, niveau baccalauréat sans le diplôme"),
    Option("4", "NSC 4 : baccalauréat et au-delà"),
)


def _item(key: str, label: str, group: str, help: str = "") -> Question:
    return Question(key, label, options=PASS_FAIL, group=group, help=help)


@register
class Mmse(Instrument):
    code = "mmse"
    version = "1999"
    name = "Mini-Mental State Examination (MMSE), version consensuelle du GRECO"
    short_name = "MMSE"
    # "care", not "medical": in ESMS the MMSE is a standardised screening test given by the care
    # team (médecin coordonnateur, trained nurses, psychologist) to follow a person and adapt the
    # care plan (PASA/UHR admission, HAS 2011 Alzheimer recommendations); it is not a diagnosis
    # and the nurses who give it have no write access to the medical file.
    category = "care"
    source = (
        "Folstein et al., J Psychiatr Res 1975 ; version GRECO : Derouesné et al., Presse Méd "
        "1999;28:1141-8 ; normes : Kalafat et al., Rev Neuropsychol 2003;13:209-36"
    )
    # Given by physicians, psychologists and trained nurses (French practice: any trained
    # professional may give the test); read and validated by a physician or a psychologist, who
    # interpret it with age and education.
    fill_professions = frozenset({"medecin", "medecin_coordonnateur", "psychologue", "ide", "idec"})
    validate_professions = frozenset({"medecin", "medecin_coordonnateur", "psychologue"})
    score_min, score_max = 0, MMSE_MAX
    higher_is_worse = False
    questions = (
        _item("annee", "1. En quelle année sommes-nous ?", ORIENTATION),
        _item("saison", "2. En quelle saison ?", ORIENTATION),
        _item("mois", "3. En quel mois ?", ORIENTATION),
        _item("jour_mois", "4. Quel jour du mois ?", ORIENTATION),
        _item("jour_semaine", "5. Quel jour de la semaine ?", ORIENTATION),
        _item(
            "lieu",
            "6. Quel est le nom de l'établissement où nous sommes ?",
            ORIENTATION,
            help="Hôpital, EHPAD ou cabinet médical selon le lieu de l'examen.",
        ),
        _item("ville", "7. Dans quelle ville se trouve-t-il ?", ORIENTATION),
        _item(
            "departement",
            "8. Quel est le nom du département dans lequel est située cette ville ?",
            ORIENTATION,
        ),
        _item("region", "9. Dans quelle région est situé ce département ?", ORIENTATION),
        _item("etage", "10. À quel étage sommes-nous ?", ORIENTATION),
        _item(
            "mot1",
            "11. Premier mot répété (cigare ou citron)",
            LEARNING,
            help="« Répétez les 3 mots : cigare, fleur, porte » (ou citron, clé, ballon). Seul le"
            " premier essai est coté.",
        ),
        _item("mot2", "12. Deuxième mot répété (fleur ou clé)", LEARNING),
        _item("mot3", "13. Troisième mot répété (porte ou ballon)", LEARNING),
        _item("calcul_93", "14. 100 − 7 = 93", ATTENTION),
        _item("calcul_86", "15. − 7 = 86", ATTENTION),
        _item("calcul_79", "16. − 7 = 79", ATTENTION),
        _item("calcul_72", "17. − 7 = 72", ATTENTION),
        _item("calcul_65", "18. − 7 = 65", ATTENTION),
        Question(
            "monde",
            "Épellation de « MONDE » à l'envers (lettres bien placées)",
            kind="number",
            minimum=0,
            maximum=5,
            help="Demandée à tous les sujets dans la version GRECO ; notée à part, elle ne compte"
            " pas dans le score total.",
            group=ATTENTION,
            required=False,
        ),
        _item("rappel1", "19. Rappel du premier mot", RECALL),
        _item("rappel2", "20. Rappel du deuxième mot", RECALL),
        _item("rappel3", "21. Rappel du troisième mot", RECALL),
        _item("crayon", "22. Dénomination : un crayon", LANGUAGE),
        _item("montre", "23. Dénomination : une montre", LANGUAGE),
        _item("repetition", "24. Répétition : « Pas de mais, de si, ni de et »", LANGUAGE),
        _item("feuille_prendre", "25. Prend la feuille de papier avec la main droite", LANGUAGE),
        _item("feuille_plier", "26. La plie en deux", LANGUAGE),
        _item("feuille_jeter", "27. La jette par terre", LANGUAGE),
        _item("lecture", "28. Exécute l'ordre écrit « Fermez les yeux »", LANGUAGE),
        _item(
            "phrase",
            "29. Écrit une phrase entière",
            LANGUAGE,
            help="Une phrase ayant un sens, avec un sujet et un verbe ; l'orthographe ne compte pas.",
        ),
        _item("copie", "30. Recopie le dessin (deux pentagones entrecroisés)", PRAXIS),
        Question(
            "niveau_socio_culturel",
            "Niveau socio-culturel (pour la lecture du score)",
            options=NSC_OPTIONS,
            help="Les normes du MMSE dépendent de l'âge et du niveau socio-culturel (Kalafat et"
            " al. 2003) : ce champ ne modifie pas le score.",
            group="Contexte",
            required=False,
        ),
        Question(
            "conditions",
            "Conditions de passation (déficit sensoriel, fatigue, langue…)",
            kind="text",
            group="Contexte",
            required=False,
        ),
    )

    def score(self, cleaned: dict) -> Result:
        subscores = {
            group: sum(
                int(cleaned[q.key])
                for q in self.questions
                if q.group == group and q.kind == "choice" and q.key in cleaned
            )
            for group, _maximum in DOMAINS
        }
        total = sum(subscores.values())
        parts = ", ".join(
            f"{group.lower()} {subscores[group]}/{maximum}" for group, maximum in DOMAINS
        )
        text = (
            f"Score total {total}/{MMSE_MAX} ({parts}). L'interprétation revient au clinicien : "
            "elle tient compte de l'âge, du niveau socio-culturel (normes GRECO, Kalafat et al. "
            "2003) et du contexte ; le MMSE seul ne fait pas de diagnostic."
        )
        nsc = cleaned.get("niveau_socio_culturel")
        if nsc:
            text += f" Niveau socio-culturel indiqué : {self.question('niveau_socio_culturel').option(nsc).label}."
        if "monde" in cleaned:
            text += f" « MONDE » à l'envers : {cleaned['monde']}/5 (hors total)."
        return Result(
            score=Decimal(total),
            label=f"{total} / {MMSE_MAX}",
            interpretation=text,
            level="neutral",
            details={
                "total": total,
                "domains": {group: subscores[group] for group, _maximum in DOMAINS},
                "niveau_socio_culturel": nsc or "",
                "monde": cleaned.get("monde", ""),
            },
        )
