"""The sandbox of the letter templates the establishment writes (LetterTemplate).

A template body is Django template syntax limited to {{ variable }}, {% if %} and {% for %},
a few harmless filters, rendered with a LIMITED context of plain strings and lists (never a
model instance, see `rendering.py`): a template cannot reach anything the page does not list.
The whole output is escaped once rendered, so nothing typed becomes HTML.
"""

import re

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import LetterKind

ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor"}
ALLOWED_FILTERS = {"default", "upper", "lower", "title", "capfirst", "join", "length"}
_TAG = re.compile(r"{%-?\s*(\w*)")
_PIECE = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.DOTALL)
_FILTER = re.compile(r"\|\s*(\w+)")

# The variables a template may use, shown on the editing page (name → what it holds).
LETTER_VARIABLES = {
    "civilite": gettext_lazy("« Madame », « Monsieur » ou « Madame, Monsieur »"),
    "personne_nom": gettext_lazy("nom de la personne (nom utilisé, sinon de naissance)"),
    "personne_nom_naissance": gettext_lazy("nom de naissance"),
    "personne_prenom": gettext_lazy("prénom de la personne"),
    "personne_prenoms": gettext_lazy("prénoms de naissance"),
    "personne_date_naissance": gettext_lazy("date de naissance (jj/mm/aaaa)"),
    "etablissement_nom": gettext_lazy("nom de l'établissement"),
    "etablissement_adresse": gettext_lazy("adresse de l'établissement"),
    "etablissement_finess": gettext_lazy("numéro FINESS"),
    "etablissement_ville": gettext_lazy("commune de l'établissement"),
    "date_du_jour": gettext_lazy("date du courrier"),
    "demande_recue_le": gettext_lazy("date de réception de la demande"),
    "accueil": gettext_lazy("accueil demandé (permanent, temporaire, de jour)"),
    "pieces_manquantes": gettext_lazy(
        "liste des pièces manquantes (à parcourir avec {% for piece in pieces_manquantes %})"
    ),
    "motif_refus": gettext_lazy("motif du refus enregistré par la commission"),
}
CONTRACT_VARIABLES = {
    **{k: v for k, v in LETTER_VARIABLES.items() if k not in ("pieces_manquantes", "motif_refus")},
    "contrat_type": gettext_lazy(
        "« contrat de séjour » ou « document individuel de prise en charge »"
    ),
    "date_entree": gettext_lazy("date d'entrée"),
    "place": gettext_lazy("unité et place"),
    "representant_nom": gettext_lazy("représentant légal (vide s'il n'y en a pas)"),
    "representant_mesure": gettext_lazy("mesure de protection du représentant"),
    "echeance_signature": gettext_lazy("date limite de signature"),
    "tarifs": gettext_lazy("liste des tarifs (chaque tarif a .libelle, .montant et .unite)"),
}


def variables_for(kind: str) -> dict:
    return CONTRACT_VARIABLES if kind == LetterKind.CONTRACT else LETTER_VARIABLES


def validate_template_body(body: str) -> None:
    """Refuse anything beyond {{ variable }}, {% if %} and {% for %} (French messages)."""
    for name in _TAG.findall(body or ""):
        if name in ("load", "include", "extends"):
            raise ValidationError(
                {
                    "body": _(
                        "Le modèle ne peut pas utiliser « {%% %(tag)s %%} » : seuls les "
                        "variables {{ … }}, {%% if %%} et {%% for %%} sont permis."
                    )
                    % {"tag": name}
                },
                code="forbidden_tag",
            )
        if name not in ALLOWED_TAGS:
            raise ValidationError(
                {
                    "body": _(
                        "Balise « {%% %(tag)s %%} » non permise : seuls les variables {{ … }}, "
                        "{%% if %%} et {%% for %%} sont permis."
                    )
                    % {"tag": name or "…"}
                },
                code="forbidden_tag",
            )
    for piece in _PIECE.findall(body or ""):
        for name in _FILTER.findall(piece):
            if name not in ALLOWED_FILTERS:
                raise ValidationError(
                    {
                        "body": _("Filtre « %(filter)s » non permis (permis : %(allowed)s).")
                        % {"filter": name, "allowed": ", ".join(sorted(ALLOWED_FILTERS))}
                    },
                    code="forbidden_filter",
                )
    try:
        _engine().from_string(body or "")
    except TemplateSyntaxError as error:
        raise ValidationError(
            {"body": _("Le modèle est mal formé : %(error)s") % {"error": error}},
            code="template_syntax",
        ) from error


def _engine() -> Engine:
    # No library can be loaded; the tags allowed are checked by validate_template_body.
    # No autoescape here: the whole output is escaped once rendered (render_body), so that
    # nothing in a template, not even a quoted literal, can become HTML.
    return Engine(libraries={}, autoescape=False, string_if_invalid="")


def render_body(body: str, context: dict) -> str:
    """The body rendered in the sandbox, as HTML paragraphs of plain text."""
    validate_template_body(body)
    text = _engine().from_string(body).render(Context(context, autoescape=False))
    return mark_safe(linebreaks(escape(text), autoescape=False))  # noqa: S308 - escaped
