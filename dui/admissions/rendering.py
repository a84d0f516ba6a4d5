"""What goes into a letter or a contract, and its PDF.

Each document gets a LIMITED context of plain strings and lists (never a model instance): the
establishment's wording runs in the sandbox (`sandbox.py`) on these values only, then the
layout of `templates/admissions/letters/` is turned into a PDF (`pdf.py`). Reads only: the
services store the PDF as a document of the person.
"""

from datetime import date

from django.utils.translation import gettext as _

from dui.core import dates
from dui.organisation.models import PlaceKind

from .contract_terms import PRICE_UNITS, contract_due_by, contract_kind_for, contract_label
from .models import ApplicationPiece, ContractKind, LetterKind, PieceKind
from .pdf import render_pdf
from .sandbox import render_body
from .selectors import current_representative, letter_template_of, letter_wording, refusal_reason


def day_text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def establishment_context(establishment) -> dict:
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


def person_context(person) -> dict:
    first = person.used_first_name or (person.first_names or "").split(" ")[0]
    return {
        "civilite": {"F": _("Madame"), "M": _("Monsieur")}.get(person.sex) or _("Madame, Monsieur"),
        "personne_nom": person.used_name or person.birth_name,
        "personne_nom_naissance": person.birth_name,
        "personne_prenom": first,
        "personne_prenoms": person.first_names,
        "personne_date_naissance": day_text(person.birth_date),
    }


def _signer_name(signer) -> str:
    return signer.get_full_name() if signer else ""


# --- Letters of an application ----------------------------------------------------------------


def letter_context(application) -> dict:
    """The limited context of a letter: plain strings and lists, nothing else."""
    missing = [
        str(piece.get_kind_display())
        for piece in ApplicationPiece.objects.filter(
            application=application, received_on__isnull=True
        )
    ]
    establishment = application.establishment
    return {
        **person_context(application.person),
        **establishment_context(establishment),
        "date_du_jour": day_text(dates.today(establishment)),
        "demande_recue_le": day_text(application.received_on),
        "accueil": str(PlaceKind(application.place_kind).label) if application.place_kind else "",
        "pieces_manquantes": missing,
        "motif_refus": refusal_reason(application),
    }


def render_letter_pdf(*, application, kind: str, signer=None) -> tuple[str, bytes]:
    """(title, PDF bytes) of a letter of the application, in the establishment's wording."""
    title, body = letter_wording(application.establishment, kind)
    context = letter_context(application)
    pdf = render_pdf(
        "letter.html",
        {
            "title": title,
            "body": render_body(body, context),
            "ctx": context,
            "signer": _signer_name(signer),
        },
    )
    return title, pdf


def sample_context(establishment, kind: str) -> dict:
    """A fictitious person, for the preview of a template (no one's data)."""
    today = dates.today(establishment)
    context = {
        "civilite": _("Madame"),
        "personne_nom": "EXEMPLE",
        "personne_nom_naissance": "EXEMPLE",
        "personne_prenom": "Jeanne",
        "personne_prenoms": "Jeanne Marie",
        "personne_date_naissance": "01/01/1940",
        **establishment_context(establishment),
        "date_du_jour": day_text(today),
        "demande_recue_le": day_text(today),
        "accueil": str(PlaceKind.PERMANENT.label),
        "pieces_manquantes": [str(PieceKind.CERFA_MEDICAL.label)],
        "motif_refus": _("(motif du refus enregistré par la commission)"),
    }
    if kind == LetterKind.CONTRACT:
        contract_kind = contract_kind_for(establishment)
        context.update(
            {
                "contrat_type": contract_label(contract_kind),
                "date_entree": day_text(today),
                "place": _("Unité · chambre"),
                "representant_nom": "",
                "representant_mesure": "",
                "echeance_signature": day_text(contract_due_by(contract_kind, today)),
                "tarifs": [{"libelle": _("Hébergement"), "montant": "70,00", "unite": "par jour"}],
            }
        )
    return context


def render_preview_pdf(*, establishment, kind: str) -> bytes:
    """The stored wording rendered for a fictitious person (nothing is stored)."""
    title, body = letter_wording(establishment, kind)
    context = sample_context(establishment, kind)
    layout = "contract.html" if kind == LetterKind.CONTRACT else "letter.html"
    return render_pdf(
        layout, {"title": title, "body": render_body(body, context), "ctx": context, "signer": ""}
    )


# --- Contract ---------------------------------------------------------------------------------


def contract_context(stay, kind: str, price_lines: list[dict], due_by: date) -> dict:
    representative = current_representative(stay.person)
    place = stay.unit.name + (f" · {stay.place}" if stay.place_id else "")
    return {
        **person_context(stay.person),
        **establishment_context(stay.establishment),
        "date_du_jour": day_text(dates.today(stay.establishment)),
        "accueil": str(PlaceKind(stay.kind).label) if stay.kind else "",
        "contrat_type": contract_label(kind),
        "date_entree": day_text(stay.started_on),
        "place": place,
        "representant_nom": representative.name if representative else "",
        "representant_mesure": representative.measure if representative else "",
        "echeance_signature": day_text(due_by),
        "tarifs": [
            {
                "libelle": line["label"],
                "montant": line["amount"].replace(".", ","),
                "unite": str(PRICE_UNITS[line["unit"]]),
            }
            for line in price_lines
        ],
    }


def render_contract_pdf(*, stay, kind, price_lines, due_by, signer=None) -> tuple[str, bytes]:
    """(title, PDF bytes) of the contract, in the establishment's wording. A DIPC without a
    wording of the establishment's own is titled as such."""
    title, body = letter_wording(stay.establishment, LetterKind.CONTRACT)
    if (
        kind == ContractKind.DIPC
        and letter_template_of(stay.establishment, LetterKind.CONTRACT) is None
    ):
        title = str(ContractKind.DIPC.label)
    context = contract_context(stay, kind, price_lines, due_by)
    pdf = render_pdf(
        "contract.html",
        {
            "title": title,
            "body": render_body(body, context),
            "ctx": context,
            "signer": _signer_name(signer),
        },
    )
    return title, pdf


def render_amendment_pdf(*, contract, effective_on, description, price_lines, signer) -> bytes:
    stay = contract.stay
    context = contract_context(stay, contract.kind, price_lines, contract.due_by)
    return render_pdf(
        "amendment.html",
        {
            "title": _("Avenant au %(kind)s") % {"kind": context["contrat_type"]},
            "ctx": context,
            "contract": contract,
            "effective_on": day_text(effective_on),
            "description": description,
            "signer": _signer_name(signer),
        },
    )
