"""Letters of an application (acknowledgement, missing pieces, acceptance, refusal) and the
contract (contrat de séjour, or DIPC for services), rendered to PDF by WeasyPrint and stored as
documents of the person (dui.documents.services.document_upload).

The establishment writes the body of each letter (LetterTemplate). That body is a Django
template run in a sandbox: only {{ variable }}, {% if %} and {% for %}, a few harmless
filters, and a LIMITED context of plain strings and lists (never a model instance), so a
template cannot reach anything the page does not list. WeasyPrint fetches nothing: the layout
has no remote asset and the URL fetcher refuses every URL but inline `data:` ones.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from dui.access import journal
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import person_access
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload
from dui.organisation.models import EstablishmentCategory, PlaceKind

from .default_letters import default_body, default_title
from .models import (
    AdmissionDecision,
    AdmissionRequest,
    Contract,
    ContractAmendment,
    ContractKind,
    DecisionOutcome,
    LetterKind,
    LetterTemplate,
    PieceKind,
    RequestPiece,
)
from .services import _may_write_in

ADMIN = InformationCategory.ADMINISTRATIVE

# --- The sandbox ------------------------------------------------------------------------------

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


# --- PDF --------------------------------------------------------------------------------------


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint must not fetch anything: every URL but an inline `data:` one is refused."""

    def fetch(self, url, headers=None):
        if not str(url).startswith("data:"):
            raise ValueError(f"Ressource distante refusée : {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher()).write_pdf()


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _establishment_context(establishment) -> dict:
    address = " ".join(
        p for p in (establishment.address_line, establishment.postal_code, establishment.city) if p
    )
    return {
        "etablissement_nom": establishment.name,
        "etablissement_adresse": address,
        "etablissement_finess": establishment.finess,
        "etablissement_telephone": establishment.phone,
        "etablissement_ville": establishment.city or establishment.name,
    }


def _person_context(person) -> dict:
    first = person.used_first_name or (person.first_names or "").split(" ")[0]
    return {
        "civilite": {"F": _("Madame"), "M": _("Monsieur")}.get(person.sex) or _("Madame, Monsieur"),
        "personne_nom": person.used_name or person.birth_name,
        "personne_nom_naissance": person.birth_name,
        "personne_prenom": first,
        "personne_prenoms": person.first_names,
        "personne_date_naissance": _fmt(person.birth_date),
    }


def _template_for(establishment, kind: str) -> tuple[str, str]:
    template = LetterTemplate.objects.filter(establishment=establishment, kind=kind).first()
    if template is not None:
        return template.title, template.body
    return default_title(kind), default_body(kind)


def _pdf_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{slugify(name)[:80] or 'courrier'}.pdf", content, "application/pdf")


# --- Letters of an application ----------------------------------------------------------------


def letter_context(request: AdmissionRequest) -> dict:
    """The limited context of a letter: plain strings and lists, nothing else."""
    missing = [
        str(piece.get_kind_display())
        for piece in RequestPiece.objects.filter(request=request, received_on__isnull=True)
    ]
    decision = AdmissionDecision.objects.filter(request=request).order_by("decided_on", "pk").last()
    refusal = decision.reason if decision and decision.outcome == DecisionOutcome.REFUSED else ""
    return {
        **_person_context(request.person),
        **_establishment_context(request.establishment),
        "date_du_jour": _fmt(timezone.localdate()),
        "demande_recue_le": _fmt(request.received_on),
        "accueil": str(PlaceKind(request.place_kind).label) if request.place_kind else "",
        "pieces_manquantes": missing,
        "motif_refus": refusal,
    }


def _letter_pdf(title: str, body: str, context: dict, signer=None) -> bytes:
    html = render_to_string(
        "admissions/letters/letter.html",
        {
            "title": title,
            "body": render_body(body, context),
            "ctx": context,
            "signer": signer.get_full_name() if signer else "",
        },
    )
    return html_to_pdf(html)


def render_letter_pdf(*, request: AdmissionRequest, kind: str, signer=None) -> tuple[str, bytes]:
    """(title, PDF bytes) of a letter of the application, in the establishment's wording."""
    title, body = _template_for(request.establishment, kind)
    return title, _letter_pdf(title, body, letter_context(request), signer)


def sample_context(establishment, kind: str) -> dict:
    """A fictitious person, for the preview of a template (no one's data)."""
    today = timezone.localdate()
    context = {
        "civilite": _("Madame"),
        "personne_nom": "EXEMPLE",
        "personne_nom_naissance": "EXEMPLE",
        "personne_prenom": "Jeanne",
        "personne_prenoms": "Jeanne Marie",
        "personne_date_naissance": "01/01/1940",
        **_establishment_context(establishment),
        "date_du_jour": _fmt(today),
        "demande_recue_le": _fmt(today),
        "accueil": str(PlaceKind.PERMANENT.label),
        "pieces_manquantes": [str(PieceKind.CERFA_MEDICAL.label)],
        "motif_refus": _("(motif du refus enregistré par la commission)"),
    }
    if kind == LetterKind.CONTRACT:
        kind_of = contract_kind_for(establishment)
        context.update(
            {
                "contrat_type": str(ContractKind(kind_of).label).lower()
                if kind_of == ContractKind.CONTRACT
                else _("document individuel de prise en charge"),
                "date_entree": _fmt(today),
                "place": _("Unité · chambre"),
                "representant_nom": "",
                "representant_mesure": "",
                "echeance_signature": _fmt(contract_due_by(kind_of, today)),
                "tarifs": [{"libelle": _("Hébergement"), "montant": "70,00", "unite": "par jour"}],
            }
        )
    return context


def render_preview_pdf(*, establishment, kind: str) -> bytes:
    title, body = _template_for(establishment, kind)
    context = sample_context(establishment, kind)
    layout = "contract.html" if kind == LetterKind.CONTRACT else "letter.html"
    html = render_to_string(
        f"admissions/letters/{layout}",
        {"title": title, "body": render_body(body, context), "ctx": context, "signer": ""},
    )
    return html_to_pdf(html)


def _check_refusal_reason(request: AdmissionRequest) -> None:
    decision = AdmissionDecision.objects.filter(request=request).order_by("decided_on", "pk").last()
    if decision is None or decision.outcome != DecisionOutcome.REFUSED or not decision.reason:
        raise ValidationError(
            _(
                "Aucun motif de refus n'est enregistré pour cette demande : enregistrez d'abord "
                "la décision de refus de la commission, avec son motif."
            ),
            code="no_refusal_reason",
        )


@transaction.atomic
def letter_generate(*, acting_user, request: AdmissionRequest, kind: str):
    """Generate a letter of the application as a PDF document of the person."""
    if kind not in LetterKind.values or kind == LetterKind.CONTRACT:
        raise ValidationError(_("Type de courrier inconnu."))
    if not _may_write_in(acting_user, request.establishment) or not person_access(
        user=acting_user, person=request.person
    ).can_write(ADMIN):
        raise PermissionDenied(_("Votre profession ne peut pas rédiger de courrier ici."))
    if kind == LetterKind.REFUSAL:
        _check_refusal_reason(request)
    title, pdf = render_letter_pdf(request=request, kind=kind, signer=acting_user)
    return document_upload(
        acting_user=acting_user,
        person=request.person,
        kind=DocumentKind.LETTER,
        title=title[:200],
        document_date=timezone.localdate(),
        category=ADMIN,
        uploaded_file=_pdf_file(f"{LetterKind(kind).label} {request.person.birth_name}", pdf),
    )


# --- Letter templates -------------------------------------------------------------------------


def may_edit_templates(user, establishment) -> bool:
    """Director or secretary: the professions writing administrative data in the establishment."""
    return _may_write_in(user, establishment)


def template_version(template: LetterTemplate | None) -> int:
    return template.history.count() if template is not None else 0


@transaction.atomic
def letter_template_save(
    *, acting_user, establishment, kind: str, title: str, body: str, expected_version=None
) -> LetterTemplate:
    """Create or change the establishment's wording of a letter (history kept)."""
    if not may_edit_templates(acting_user, establishment):
        raise PermissionDenied(_("Votre profession ne peut pas modifier les modèles de courrier."))
    validate_template_body(body)
    template = (
        LetterTemplate.objects.select_for_update()
        .filter(establishment=establishment, kind=kind)
        .first()
    )
    if expected_version is not None and template_version(template) != expected_version:
        raise ValidationError(
            _(
                "Ce modèle a été modifié par quelqu'un d'autre pendant votre saisie : "
                "rechargez la page."
            ),
            code="stale_version",
        )
    if template is None:
        template = LetterTemplate(establishment=establishment, kind=kind, created_by=acting_user)
    template.title = (title or "").strip()
    template.body = body
    template.updated_by = acting_user
    template._history_user = acting_user
    template.full_clean()
    template.save()
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=template)
    return template


# --- Contract ---------------------------------------------------------------------------------

# Services at home or in the community sign a DIPC; establishments, a contrat de séjour.
DIPC_CATEGORIES = {
    EstablishmentCategory.SESSAD,
    EstablishmentCategory.SSIAD,
    EstablishmentCategory.SAVS,
    EstablishmentCategory.SAMSAH,
}
# CASF L311-4: the contract is signed within one month of admission. The DIPC delay is set by
# the establishment; 15 days until that setting exists.
DIPC_DELAY_DAYS = 15
PRICE_UNITS = {"jour": gettext_lazy("par jour"), "mois": gettext_lazy("par mois")}


def contract_kind_for(establishment) -> str:
    return ContractKind.DIPC if establishment.category in DIPC_CATEGORIES else ContractKind.CONTRACT


def _add_one_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_due_by(kind: str, started_on: date) -> date:
    if kind == ContractKind.DIPC:
        return started_on + timedelta(days=DIPC_DELAY_DAYS)
    return _add_one_month(started_on)


def clean_price_lines(price_lines) -> list[dict]:
    """[{"label", "amount", "unit"}] with a positive decimal amount per day or month."""
    cleaned = []
    for line in price_lines or []:
        label = str(line.get("label", "")).strip()
        unit = line.get("unit", "")
        try:
            amount = Decimal(str(line.get("amount", "")).replace(",", "."))
        except InvalidOperation:
            amount = None
        if not label or amount is None or not amount.is_finite() or amount < 0:
            raise ValidationError(
                {"price_lines": _("Chaque tarif a un libellé et un montant positif en euros.")}
            )
        if unit not in PRICE_UNITS:
            raise ValidationError({"price_lines": _("Un tarif est dû par jour ou par mois.")})
        cleaned.append(
            {"label": label[:150], "amount": f"{amount.quantize(Decimal('0.01'))}", "unit": unit}
        )
    return cleaned


@dataclass
class Representative:
    name: str
    measure: str
    contact: object | None


def current_representative(person) -> Representative | None:
    """The legal representative of the current protection measure, if any."""
    from dui.people.models import LegalProtection

    today = timezone.localdate()
    protection = (
        LegalProtection.objects.filter(person=person, entered_in_error=False, started_on__lte=today)
        .exclude(ended_on__lte=today)
        .select_related("representative_contact", "representative_partner")
        .order_by("-started_on", "-pk")
        .first()
    )
    if protection is None:
        return None
    contact = protection.representative_contact
    if contact is not None:
        name = f"{contact.first_name} {contact.last_name}".strip()
    elif protection.representative_partner is not None:
        name = str(protection.representative_partner)
    else:
        return None
    return Representative(name=name, measure=str(protection.get_kind_display()), contact=contact)


def _stay_is_active(stay) -> bool:
    return stay.ended_on is None and stay.started_on <= timezone.localdate()


def _require_contract_writer(acting_user, stay):
    if not _may_write_in(acting_user, stay.establishment) or not person_access(
        user=acting_user, person=stay.person
    ).can_write(ADMIN):
        raise PermissionDenied(_("Votre profession ne peut pas établir de contrat ici."))


def contract_context(stay, kind: str, price_lines: list[dict], due_by: date) -> dict:
    representative = current_representative(stay.person)
    place = stay.unit.name + (f" · {stay.place}" if stay.place_id else "")
    return {
        **_person_context(stay.person),
        **_establishment_context(stay.establishment),
        "date_du_jour": _fmt(timezone.localdate()),
        "accueil": str(PlaceKind(stay.kind).label) if stay.kind else "",
        "contrat_type": str(ContractKind(kind).label).lower()
        if kind == ContractKind.CONTRACT
        else _("document individuel de prise en charge"),
        "date_entree": _fmt(stay.started_on),
        "place": place,
        "representant_nom": representative.name if representative else "",
        "representant_mesure": representative.measure if representative else "",
        "echeance_signature": _fmt(due_by),
        "tarifs": [
            {
                "libelle": line["label"],
                "montant": line["amount"].replace(".", ","),
                "unite": str(PRICE_UNITS[line["unit"]]),
            }
            for line in price_lines
        ],
    }


def render_contract_pdf(*, stay, kind, price_lines, due_by, body=None, signer=None):
    title, stored_body = _template_for(stay.establishment, LetterKind.CONTRACT)
    if (
        kind == ContractKind.DIPC
        and not LetterTemplate.objects.filter(
            establishment=stay.establishment, kind=LetterKind.CONTRACT
        ).exists()
    ):
        title = str(ContractKind.DIPC.label)
    context = contract_context(stay, kind, price_lines, due_by)
    html = render_to_string(
        "admissions/letters/contract.html",
        {
            "title": title,
            "body": render_body(body if body is not None else stored_body, context),
            "ctx": context,
            "signer": signer.get_full_name() if signer else "",
        },
    )
    return title, html_to_pdf(html)


@transaction.atomic
def contract_generate(*, acting_user, stay, price_lines) -> Contract:
    """Generate the contract (or DIPC) of a current stay, as a PDF document of the person."""
    from dui.stays.models import Stay

    stay = (
        Stay.objects.select_for_update(of=("self",))
        .select_related("person", "establishment", "unit", "place")
        .get(pk=stay.pk)
    )
    if not _stay_is_active(stay):
        raise ValidationError(
            _("Aucun séjour en cours : le contrat suit l'admission."), code="no_active_stay"
        )
    _require_contract_writer(acting_user, stay)
    if Contract.objects.filter(stay=stay).exists():
        raise ValidationError(
            _("Ce séjour a déjà son contrat : modifiez-le par un avenant."), code="has_contract"
        )
    lines = clean_price_lines(price_lines)
    kind = contract_kind_for(stay.establishment)
    due_by = contract_due_by(kind, stay.started_on)
    title, pdf = render_contract_pdf(
        stay=stay, kind=kind, price_lines=lines, due_by=due_by, signer=acting_user
    )
    document = document_upload(
        acting_user=acting_user,
        person=stay.person,
        kind=DocumentKind.CONTRACT,
        title=title[:200],
        document_date=timezone.localdate(),
        category=ADMIN,
        uploaded_file=_pdf_file(f"{title} {stay.person.birth_name}", pdf),
    )
    contract = Contract(
        stay=stay,
        kind=kind,
        document=document,
        price_lines=lines,
        due_by=due_by,
        created_by=acting_user,
        updated_by=acting_user,
    )
    contract._history_user = acting_user
    contract.full_clean()
    contract.save()
    journal.record(user=acting_user, action=AccessAction.CREATE, person=stay.person, obj=contract)
    return contract


def _locked_contract(contract, expected_version) -> Contract:
    current = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("stay__person", "stay__establishment")
        .get(pk=contract.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            _(
                "Ce contrat a été modifié par quelqu'un d'autre pendant votre saisie : "
                "rechargez la page."
            ),
            code="stale_version",
        )
    return current


def _no_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("La date ne peut être dans le futur.")})


def _save_contract(acting_user, contract, reason: str) -> Contract:
    contract.version += 1
    contract.updated_by = acting_user
    contract._history_user = acting_user
    contract._change_reason = reason
    contract.full_clean()
    contract.save()
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=contract.stay.person, obj=contract
    )
    return contract


@transaction.atomic
def contract_deliver(*, acting_user, contract, delivered_on, expected_version=None) -> Contract:
    """Record the day the contract was handed to the person or their representative."""
    contract = _locked_contract(contract, expected_version)
    _require_contract_writer(acting_user, contract.stay)
    _no_future(delivered_on, "delivered_on")
    if delivered_on < contract.stay.started_on:
        raise ValidationError(
            {"delivered_on": _("Le contrat ne peut avoir été remis avant l'entrée.")}
        )
    contract.delivered_on = delivered_on
    return _save_contract(acting_user, contract, "remise")


@transaction.atomic
def contract_sign(
    *,
    acting_user,
    contract,
    signed_on,
    by_person: bool,
    representative=None,
    expected_version=None,
) -> Contract:
    """Record the signature: by the person and/or their representative (a contact of theirs)."""
    contract = _locked_contract(contract, expected_version)
    _require_contract_writer(acting_user, contract.stay)
    if contract.signed_on is not None:
        raise ValidationError(_("Ce contrat est déjà signé."), code="already_signed")
    _no_future(signed_on, "signed_on")
    person = contract.stay.person
    if representative is not None and (
        representative.person_id != person.pk
        or representative.entered_in_error
        or (representative.ended_on is not None and representative.ended_on <= signed_on)
    ):
        raise ValidationError(
            {
                "representative": _(
                    "Le représentant qui signe doit faire partie de l'entourage de la personne."
                )
            },
            code="not_a_contact",
        )
    if not by_person and representative is None:
        raise ValidationError(
            _("Indiquez qui a signé : la personne, son représentant, ou les deux."),
            code="no_signatory",
        )
    contract.signed_on = signed_on
    contract.signed_by_person = bool(by_person)
    contract.signed_by_representative = representative
    if contract.delivered_on is None:
        contract.delivered_on = signed_on
    return _save_contract(acting_user, contract, "signature")


@transaction.atomic
def contract_amend(
    *, acting_user, contract, effective_on, description: str, price_lines=None
) -> ContractAmendment:
    """An amendment (avenant) to the contract, with its own PDF."""
    contract = _locked_contract(contract, None)
    stay = contract.stay
    _require_contract_writer(acting_user, stay)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Indiquez l'objet de l'avenant.")})
    lines = clean_price_lines(price_lines) if price_lines else []
    context = contract_context(stay, contract.kind, lines, contract.due_by)
    html = render_to_string(
        "admissions/letters/amendment.html",
        {
            "title": _("Avenant au %(kind)s") % {"kind": context["contrat_type"]},
            "ctx": context,
            "contract": contract,
            "effective_on": _fmt(effective_on),
            "description": description,
            "signer": acting_user.get_full_name(),
        },
    )
    document = document_upload(
        acting_user=acting_user,
        person=stay.person,
        kind=DocumentKind.CONTRACT,
        title=_("Avenant du %(day)s") % {"day": _fmt(effective_on)},
        document_date=timezone.localdate(),
        category=ADMIN,
        uploaded_file=_pdf_file(f"avenant {stay.person.birth_name}", html_to_pdf(html)),
    )
    amendment = ContractAmendment(
        contract=contract,
        effective_on=effective_on,
        description=description,
        document=document,
        created_by=acting_user,
        updated_by=acting_user,
    )
    amendment._history_user = acting_user
    amendment.full_clean()
    amendment.save()
    journal.record(user=acting_user, action=AccessAction.CREATE, person=stay.person, obj=amendment)
    return amendment


# --- Selectors --------------------------------------------------------------------------------


def contracts_overdue(*, establishment, persons=None, today=None):
    """Contracts of current stays not signed after their due date (due today: not yet late)."""
    today = today or timezone.localdate()
    contracts = Contract.objects.filter(
        stay__establishment=establishment,
        stay__ended_on__isnull=True,
        signed_on__isnull=True,
        due_by__lt=today,
    ).select_related("stay__person", "stay__unit")
    if persons is not None:
        contracts = contracts.filter(stay__person__in=persons)
    return contracts.order_by("due_by", "pk")
