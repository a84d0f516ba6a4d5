"""Grille AGGIR, version of décret n° 2008-821 du 21 août 2008 (guide de remplissage, CASF
annexe 2-1; algorithm, CASF annexe 2-2). The computation is dui/assessments/aggir.py; this module
is the form: the 17 discriminant (sub-)variables and the 7 illustrative variables, each answered
with the four adverbs S, T, C, H.

Who validates: in an EHPAD the médecin coordonnateur "évalue et valide l'état de dépendance des
résidents" (CASF art. D312-158, 3°), and the establishment's GIR evaluation used for its funding is
made under his responsibility (CASF art. R314-170); a physician may also validate here. Any
profession that writes in the care record may fill the grid.

Score for charts: the GIR, from 1 (most dependent) to 6. A LOWER GIR is worse, hence
higher_is_worse = False.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.assessments import aggir

from .base import Instrument, Question, Result, register

# Official description of each GIR (guide of décret 2008-821, as given by service-public.fr,
# "Allocation personnalisée d'autonomie (Apa) : grille AGGIR").
GIR_DESCRIPTIONS = {
    1: gettext_lazy(
        "Dépendance totale : personne confinée au lit ou au fauteuil, dont les fonctions "
        "mentales sont gravement altérées, qui nécessite une présence indispensable et continue "
        "d'intervenants ; ou personne en fin de vie."
    ),
    2: gettext_lazy(
        "Dépendance sévère : personne confinée au lit ou au fauteuil, dont les fonctions mentales "
        "ne sont pas totalement altérées et dont l'état exige une prise en charge pour la plupart "
        "des activités de la vie courante ; ou personne dont les fonctions mentales sont "
        "altérées, qui a conservé ses capacités à se déplacer et qui nécessite une surveillance "
        "permanente."
    ),
    3: gettext_lazy(
        "Dépendance importante : personne ayant conservé son autonomie mentale et, en partie, "
        "son autonomie locomotrice, mais qui a besoin quotidiennement et plusieurs fois par jour "
        "d'une aide pour les soins corporels."
    ),
    4: gettext_lazy(
        "Dépendance partielle : personne qui n'assume pas seule ses transferts mais qui, une fois "
        "levée, peut se déplacer à l'intérieur de son logement et a besoin d'aide pour la "
        "toilette et l'habillage ; ou personne sans problème pour se déplacer qui a besoin "
        "d'aide pour les soins corporels et les repas."
    ),
    5: gettext_lazy(
        "Dépendance légère : personne qui a seulement besoin d'une aide ponctuelle pour la "
        "toilette, la préparation des repas et le ménage."
    ),
    6: gettext_lazy(
        "Autonomie : personne encore autonome pour les actes essentiels de la vie courante."
    ),
}

_ILLUSTRATIVE_GROUP = "Variables illustratives (activités domestiques et sociales)"

# (key, label, group, help) — keys of the discriminant questions are aggir.SUBVARIABLE_KEYS.
_DISCRIMINANT = (
    (
        "coherence_communication",
        "Communication",
        "Cohérence",
        "Converser et communiquer avec autrui de façon logique et sensée.",
    ),
    (
        "coherence_comportement",
        "Comportement",
        "Cohérence",
        "Se comporter de façon logique et sensée, en accord avec les usages et la vie en "
        "collectivité.",
    ),
    (
        "orientation_temps",
        "Dans le temps",
        "Orientation",
        "Se repérer dans le temps : moments de la journée, jours, mois, saisons.",
    ),
    (
        "orientation_espace",
        "Dans l'espace",
        "Orientation",
        "Se repérer dans les lieux habituels (chambre, établissement, logement, quartier) et "
        "s'y retrouver.",
    ),
    (
        "toilette_haut",
        "Toilette du haut",
        "Toilette",
        "Visage, tronc, membres supérieurs et mains ; rasage et coiffage.",
    ),
    (
        "toilette_bas",
        "Toilette du bas",
        "Toilette",
        "Régions intimes, membres inférieurs et pieds.",
    ),
    (
        "habillage_haut",
        "Habillage du haut",
        "Habillage",
        "Vêtements passés par les bras et/ou la tête.",
    ),
    (
        "habillage_moyen",
        "Habillage du milieu",
        "Habillage",
        "Fermeture des vêtements : boutons, fermeture éclair, ceinture, bretelles, pressions.",
    ),
    (
        "habillage_bas",
        "Habillage du bas",
        "Habillage",
        "Vêtements passés par le bas du corps, y compris chaussettes, bas et chaussures.",
    ),
    (
        "alimentation_se_servir",
        "Se servir",
        "Alimentation",
        "Les aliments étant préparés : couper la viande, ouvrir un pot, peler un fruit, remplir "
        "son verre…",
    ),
    (
        "alimentation_manger",
        "Manger",
        "Alimentation",
        "Porter les aliments à la bouche et les avaler.",
    ),
    (
        "elimination_urinaire",
        "Élimination urinaire",
        "Élimination",
        "Assurer l'hygiène de l'élimination urinaire, y compris la gestion des protections.",
    ),
    (
        "elimination_fecale",
        "Élimination fécale",
        "Élimination",
        "Assurer l'hygiène de l'élimination fécale, y compris la gestion des protections.",
    ),
    (
        "transferts",
        "Transferts",
        "Transferts",
        "Se lever, se coucher, s'asseoir : passer de l'une de ces positions à une autre.",
    ),
    (
        "deplacements_interieurs",
        "Déplacements à l'intérieur",
        "Déplacements",
        "Se déplacer dans le lieu de vie, éventuellement avec canne, déambulateur ou fauteuil "
        "roulant.",
    ),
    (
        "deplacements_exterieurs",
        "Déplacements à l'extérieur",
        "Déplacements",
        "Se déplacer à partir de la porte d'entrée, sans moyen de transport.",
    ),
    (
        "alerter",
        "Alerter",
        "Alerter",
        "Utiliser un moyen de communication à distance (téléphone, sonnette, téléalarme) pour "
        "alerter en cas de besoin.",
    ),
)

# The 7 illustrative variables (CASF annexe 2-1): filled as the decree asks, never in the GIR.
_ILLUSTRATIVE = (
    ("gestion", "Gestion", "Gérer ses propres affaires, son budget, ses biens."),
    ("cuisine", "Cuisine", "Préparer ses repas et les conditionner pour être servis."),
    ("menage", "Ménage", "Effectuer l'ensemble des travaux ménagers."),
    ("transports", "Transports", "Prendre et/ou commander un moyen de transport."),
    ("achats", "Achats", "Faire ses achats, directement ou par correspondance."),
    ("suivi_traitement", "Suivi du traitement", "Se conformer à l'ordonnance du médecin."),
    (
        "activites_temps_libre",
        "Activités de temps libre",
        "Activités sportives, culturelles, sociales, de loisir ou de passe-temps.",
    ),
)
ILLUSTRATIVE_KEYS = tuple(key for key, _label, _help in _ILLUSTRATIVE)


@register
class AggirGrid(Instrument):
    code = "aggir"
    version = "2008"
    name = "Grille AGGIR"
    short_name = "AGGIR"
    category = "care"
    source = (
        "Grille AGGIR : guide de remplissage (CASF annexe 2-1, décret n° 2008-821 du 21 août "
        "2008) et algorithme (CASF annexe 2-2)."
    )
    fill_professions = None
    # CASF R314-170 and D312-158 3°: the médecin coordonnateur validates the residents' GIR.
    validate_professions = frozenset({"medecin_coordonnateur", "medecin"})
    score_min = 1
    score_max = 6
    higher_is_worse = False  # GIR 1 is the most dependent: a lower GIR is worse
    questions = tuple(
        Question(key=key, label=label, kind="adverbs", group=group, help=help_text)
        for key, label, group, help_text in _DISCRIMINANT
    ) + tuple(
        Question(key=key, label=label, kind="adverbs", group=_ILLUSTRATIVE_GROUP, help=help_text)
        for key, label, help_text in _ILLUSTRATIVE
    )

    def score(self, cleaned: dict) -> Result:
        subvariables = self._codes(cleaned, aggir.SUBVARIABLE_KEYS)
        variables = aggir.variable_codes(subvariables)
        return self._result(
            variables=variables,
            subvariables=subvariables,
            illustrative=self._codes(cleaned, ILLUSTRATIVE_KEYS),
            complete=True,
        )

    def partial(self, answers: dict) -> Result | None:
        """Codes computed so far; the GIR as soon as the 8 discriminant variables are answered
        (illustrative ones may still be missing), never trusted on save."""
        try:
            cleaned = self.clean(answers, complete=False)
        except ValidationError:
            return None
        subvariables = self._codes(cleaned, aggir.SUBVARIABLE_KEYS)
        variables = {
            variable: aggir.combine_subvariables(variable, [subvariables[s] for s in subs])
            for variable, subs in aggir.SUBVARIABLES.items()
            if all(s in subvariables for s in subs)
        }
        illustrative = self._codes(cleaned, ILLUSTRATIVE_KEYS)
        if all(v in variables for v in aggir.DISCRIMINANT_VARIABLES):
            return self._result(
                variables=variables,
                subvariables=subvariables,
                illustrative=illustrative,
                complete=self.is_complete(cleaned),
            )
        done = sum(v in variables for v in aggir.DISCRIMINANT_VARIABLES)
        total = len(aggir.DISCRIMINANT_VARIABLES)
        return Result(
            score=None,
            label=_("%(n)s / %(total)s variables discriminantes") % {"n": done, "total": total},
            interpretation=_("GIR après réponse à toutes les variables discriminantes."),
            details={
                "variables": variables,
                "subvariables": subvariables,
                "illustrative": illustrative,
            },
            complete=False,
        )

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _codes(cleaned: dict, keys) -> dict[str, str]:
        return {key: aggir.code_from_adverbs(**cleaned[key]) for key in keys if key in cleaned}

    @staticmethod
    def _result(*, variables, subvariables, illustrative, complete: bool) -> Result:
        details = aggir.gir_details(variables)
        gir = details.gir
        level = "danger" if gir <= 2 else "warn" if gir <= 4 else "ok"
        return Result(
            score=Decimal(gir),
            label=_("GIR %(gir)s") % {"gir": gir},
            interpretation=str(GIR_DESCRIPTIONS[gir]),
            level=level,
            details={
                "variables": dict(variables),
                "subvariables": dict(subvariables),
                "illustrative": dict(illustrative),
                "gir": gir,
                "rang": details.rang,
                "groupe": details.group,
                "sommes": dict(details.sums),
            },
            complete=complete,
        )
