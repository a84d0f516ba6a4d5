"""The sandbox of the letter templates the establishment writes (LetterTemplate).

A template body is Django template syntax limited to {{ variable }}, {% if %} and {% for %},
a few harmless filters, rendered with a LIMITED context of plain strings and lists (never a
model instance, see `rendering.py`): a template cannot reach anything the page does not list.
The whole output is escaped once rendered, so nothing typed becomes HTML.

A template is also bounded in work. The stored template is used for every letter of the
establishment, and nested loops multiply: five {% for %} over a 40-character value ran for 28 s
in a preview, six would have run for about 13 minutes. So:
- when a template is saved, its block tags nest 3 levels at most, and an upper bound of what it
  can produce (characters) and of the steps it can take is computed from its structure — each
  loop counted at the most items its value can have — and must stay under the limits below;
- whenever a template is rendered (preview, letter, contract), each node checks a deadline and
  the characters produced so far before it renders: past 2 seconds or past the size limit the
  rendering stops with a French message, and the service that asked writes nothing. No thread
  is killed: the check runs inside the rendering, between nodes.
"""

import re
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import NodeList, TextNode, VariableNode
from django.template.defaulttags import ForNode, IfNode
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
    "personne_nee": gettext_lazy("« né » ou « née » selon le sexe de la personne"),
    "etablissement_nom": gettext_lazy("nom de l'établissement"),
    "etablissement_le": gettext_lazy("le nom avec son article : « l'EHPAD Les Tilleuls »"),
    "etablissement_de": gettext_lazy("« de l'EHPAD Les Tilleuls », « du SESSAD … »"),
    "etablissement_a": gettext_lazy("« à l'EHPAD Les Tilleuls », « au SESSAD … »"),
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
    "date_decision": gettext_lazy("date de la dernière décision de la commission"),
    "demandeur": gettext_lazy("qui a fait la demande (nom, ou la personne elle-même)"),
    "orientation_type": gettext_lazy("type de l'orientation CDAPH (courrier à la MDPH)"),
    "orientation_decision_du": gettext_lazy("date de la décision de la CDAPH"),
    "orientation_reference": gettext_lazy("référence de la décision de la CDAPH"),
    "places_disponibles": gettext_lazy("places libres ce jour (courrier à la MDPH, CASF R146-36)"),
    "personnes_en_attente": gettext_lazy("personnes sur la liste d'attente (idem)"),
}
# Variables of an application's letters only (a contract has none of them).
APPLICATION_ONLY_VARIABLES = frozenset(
    {
        "pieces_manquantes",
        "motif_refus",
        "date_decision",
        "demandeur",
        "orientation_type",
        "orientation_decision_du",
        "orientation_reference",
        "places_disponibles",
        "personnes_en_attente",
    }
)
CONTRACT_VARIABLES = {
    **{k: v for k, v in LETTER_VARIABLES.items() if k not in APPLICATION_ONLY_VARIABLES},
    "contrat_type": gettext_lazy(
        "« contrat de séjour » ou « document individuel de prise en charge »"
    ),
    "date_entree": gettext_lazy("date d'entrée"),
    "place": gettext_lazy("unité et place"),
    "parties": gettext_lazy(
        "qui signe : la personne seule, assistée, représentée, ou les titulaires de l'autorité "
        "parentale (phrase complète)"
    ),
    "fin_prevue": gettext_lazy("fin prévue du séjour (vide pour un séjour permanent)"),
    "orientation": gettext_lazy("décision d'orientation de la CDAPH (vide s'il n'y en a pas)"),
    "duree": gettext_lazy("durée du contrat"),
    "representant_nom": gettext_lazy("représentant légal (vide s'il n'y en a pas)"),
    "representant_mesure": gettext_lazy("mesure de protection du représentant"),
    "echeance_signature": gettext_lazy("date limite de signature"),
    "tarifs": gettext_lazy(
        "liste des tarifs (chaque tarif a .libelle, .montant — « 72,50 € » — .unite et .nature)"
    ),
}


def variables_for(kind: str) -> dict:
    return CONTRACT_VARIABLES if kind == LetterKind.CONTRACT else LETTER_VARIABLES


# Limits of a template's work (finding 4 of the security issue). A letter or a contract of
# 30 pages is about 100,000 characters.
MAX_NESTING = 3
MAX_OUTPUT_CHARS = 100_000
MAX_RENDER_STEPS = 100_000
RENDER_SECONDS = 2.0
# What the structural bound assumes a value may hold: a list variable at most LIST_ITEMS items
# (pieces of an application, price lines of a contract), any other value at most VALUE_CHARS
# characters — a {% for %} over a text goes through its characters.
LIST_VARIABLES = frozenset({"pieces_manquantes", "tarifs"})
LIST_ITEMS = 50
VALUE_CHARS = 200

TOO_DEEP = gettext_lazy(
    "Le modèle place %(depth)s balises {%% if %%} / {%% for %%} les unes dans les autres : "
    "%(max)s niveaux au plus."
)
TOO_LONG = gettext_lazy(
    "Le texte produit par ce modèle pourrait atteindre %(chars)s caractères (au plus "
    "%(max)s) : des boucles {%% for %%} imbriquées répètent trop de texte."
)
TOO_MANY_STEPS = gettext_lazy(
    "Ce modèle pourrait demander %(steps)s étapes de calcul (au plus %(max)s) : des boucles "
    "{%% for %%} imbriquées se répètent trop."
)
RENDER_TOO_SLOW = gettext_lazy(
    "Le modèle de courrier de l'établissement a été arrêté après %(seconds)s secondes de calcul "
    "(boucles {%% for %%} trop nombreuses ou imbriquées) : rien n'a été enregistré. La "
    "direction ou le secrétariat doit simplifier ce modèle (Courriers › Modèles)."
)
RENDER_TOO_LONG = gettext_lazy(
    "Le modèle de courrier de l'établissement produit plus de %(max)s caractères : le calcul a "
    "été arrêté et rien n'a été enregistré. La direction ou le secrétariat doit simplifier ce "
    "modèle (Courriers › Modèles)."
)


def _french_number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def check_template_safety(body: str) -> None:
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
    _compile(body)


def _compile(body: str):
    try:
        return _engine().from_string(body or "")
    except TemplateSyntaxError as error:
        raise ValidationError(
            {"body": _("Le modèle est mal formé : %(error)s") % {"error": error}},
            code="template_syntax",
        ) from error


def validate_template_body(body: str) -> None:
    """What a template must be to be saved: safe (`check_template_safety`), nested 3 levels at
    most, and bounded in output and steps whatever the values it is given."""
    check_template_safety(body)
    nodelist = _compile(body).nodelist
    depth = _depth(nodelist)
    if depth > MAX_NESTING:
        raise ValidationError(
            {"body": TOO_DEEP % {"depth": depth, "max": MAX_NESTING}}, code="template_too_deep"
        )
    bound = _bound(nodelist)
    if bound.chars > MAX_OUTPUT_CHARS:
        raise ValidationError(
            {
                "body": TOO_LONG
                % {
                    "chars": _french_number(bound.chars),
                    "max": _french_number(MAX_OUTPUT_CHARS),
                }
            },
            code="template_too_long",
        )
    if bound.steps > MAX_RENDER_STEPS:
        raise ValidationError(
            {
                "body": TOO_MANY_STEPS
                % {
                    "steps": _french_number(bound.steps),
                    "max": _french_number(MAX_RENDER_STEPS),
                }
            },
            code="template_too_many_steps",
        )


def _branches(node) -> list[NodeList]:
    """The node lists inside a block node: each branch of an {% if %}, the loop and the
    {% empty %} of a {% for %}."""
    if isinstance(node, IfNode):
        return [nodelist for _condition, nodelist in node.conditions_nodelists]
    return [getattr(node, name) for name in node.child_nodelists if getattr(node, name, None)]


def _depth(nodelist) -> int:
    """How many block tags are nested at the deepest point (a top-level {% for %} is 1)."""
    deepest = 0
    for node in nodelist:
        inner = [_depth(branch) for branch in _branches(node)]
        if inner or isinstance(node, (ForNode, IfNode)):
            deepest = max(deepest, 1 + max(inner, default=0))
    return deepest


@dataclass(frozen=True)
class _Bound:
    chars: int = 0
    steps: int = 0


def _iterations(node: ForNode) -> int:
    """The most items a {% for %} can go through: a list variable's items, else the characters
    of a value."""
    variable = getattr(node.sequence, "var", None)
    name = str(getattr(variable, "var", variable) or "").split(".")[0]
    return LIST_ITEMS if name in LIST_VARIABLES else VALUE_CHARS


def _bound(nodelist) -> _Bound:
    """An upper bound of the characters a node list produces and of the nodes it renders."""
    chars = steps = 0
    for node in nodelist:
        if isinstance(node, TextNode):
            chars, steps = chars + len(node.s), steps + 1
        elif isinstance(node, VariableNode):
            chars, steps = chars + VALUE_CHARS, steps + 1
        elif isinstance(node, ForNode):
            times = _iterations(node)
            loop, empty = _bound(node.nodelist_loop), _bound(node.nodelist_empty)
            chars += max(times * loop.chars, empty.chars)
            steps += 1 + max(times * (1 + loop.steps), empty.steps)
        else:  # {% if %}: the longest branch
            branches = [_bound(branch) for branch in _branches(node)] or [_Bound()]
            chars += max(b.chars for b in branches)
            steps += 1 + max(b.steps for b in branches)
    return _Bound(chars, steps)


class TemplateBudgetExceeded(ValidationError):
    """The rendering of a stored template went past its time or size budget."""


class _Budget:
    """Checked by every node before it renders: a deadline and the characters produced."""

    def __init__(self, seconds: float, max_chars: int):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.max_chars = max_chars
        self.chars = 0

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateBudgetExceeded(
                RENDER_TOO_SLOW % {"seconds": _french_number(round(self.seconds))},
                code="template_too_slow",
            )

    def produced(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > self.max_chars:
            raise TemplateBudgetExceeded(
                RENDER_TOO_LONG % {"max": _french_number(self.max_chars)},
                code="template_too_long",
            )


def _guard(nodelist, budget: _Budget) -> None:
    """Wrap the rendering of every node of the compiled template (this compiled copy only):
    each checks the budget before rendering; a leaf (text, variable) also counts what it
    produced — the whole output is the sum of the leaves'."""
    for node in nodelist:
        branches = _branches(node)
        for branch in branches:
            _guard(branch, budget)
        render = node.render_annotated
        leaf = not branches

        def guarded(context, render=render, leaf=leaf):
            budget.check()
            text = render(context)
            if leaf:
                budget.produced(text)
            return text

        node.render_annotated = guarded


def _engine() -> Engine:
    # No library can be loaded; the tags allowed are checked by validate_template_body.
    # No autoescape here: the whole output is escaped once rendered (render_body), so that
    # nothing in a template, not even a quoted literal, can become HTML.
    return Engine(libraries={}, autoescape=False, string_if_invalid="")


def render_body(
    body: str,
    context: dict,
    *,
    seconds: float = RENDER_SECONDS,
    max_chars: int = MAX_OUTPUT_CHARS,
) -> str:
    """The body rendered in the sandbox, as HTML paragraphs of plain text. A template stored
    before the limits existed (or written to the database directly) is stopped by the budget:
    `TemplateBudgetExceeded` (a ValidationError, French message) after `seconds` or
    `max_chars`."""
    check_template_safety(body)
    template = _compile(body)
    _guard(template.nodelist, _Budget(seconds, max_chars))
    text = template.render(Context(context, autoescape=False))
    return mark_safe(linebreaks(escape(text), autoescape=False))  # noqa: S308 - escaped
