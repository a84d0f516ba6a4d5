"""What goes into a letter or a contract, and its PDF.

Each document gets a LIMITED context of plain strings and lists (never a model instance): the
establishment's wording runs in the sandbox (`sandbox.py`) on these values only, then the
layout of `templates/admissions/letters/` is turned into a PDF (`pdf.py`). Reads only: the
services store the PDF as a document of the person.
"""

from datetime import date

from django.utils.translation import gettext as _

from dui.core import agreement, dates
from dui.core.money import format_amount
from dui.organisation.models import EstablishmentCategory, PlaceKind
from dui.people.protection import Act, who_signs
from dui.stays.selectors import occupancy

from .contract_terms import (
    PRICE_UNITS,
    WITHDRAWAL_DAYS,
    contract_due_by,
    contract_kind_for,
    contract_label,
    delivery_due_by,
    objectives_due_by,
)
from .models import (
    ContractKind,
    DecisionOutcome,
    LetterKind,
    PieceKind,
    PriceKind,
    RequesterKind,
)
from .orientations import fits
from .pdf import render_pdf
from .sandbox import render_body
from .selectors import (
    admission_settings,
    checklist,
    current_representative,
    latest_decision,
    letter_template_of,
    letter_wording,
    missing_pieces,
    price_list_in_force,
    waiting_count,
)

PRICE_KINDS = dict(PriceKind.choices)


def day_text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def establishment_context(establishment) -> dict:
    address = " ".join(
        p for p in (establishment.address_line, establishment.postal_code, establishment.city) if p
    )
    return {
        "etablissement_nom": establishment.name,
        "etablissement_le": agreement.with_article(establishment.name),
        "etablissement_de": agreement.with_article(establishment.name, "de"),
        "etablissement_a": agreement.with_article(establishment.name, "à"),
        "etablissement_adresse": address,
        "etablissement_finess": establishment.finess,
        "etablissement_telephone": establishment.phone,
        "etablissement_ville": establishment.city or establishment.name,
    }


def person_context(person) -> dict:
    first = person.used_first_name or person.first_first_name
    return {
        "civilite": {"F": _("Madame"), "M": _("Monsieur")}.get(person.sex) or _("Madame, Monsieur"),
        "personne_nom": person.used_name or person.birth_name,
        "personne_nom_naissance": person.birth_name,
        "personne_prenom": first,
        "personne_prenoms": person.first_names,
        "personne_date_naissance": day_text(person.birth_date),
        "personne_nee": agreement.agree(person, "né", "née"),
    }


def _signer_name(signer) -> str:
    return signer.get_full_name() if signer else ""


# --- Letters of an application ----------------------------------------------------------------


def applicant_recipient(application) -> list[str]:
    """The lines of the address block of an application's letters: whoever made the
    application (the person herself, a relative, a social worker, a hospital…) and their postal
    address when it is known."""
    person = person_context(application.person)
    if application.applicant_kind == RequesterKind.PERSON and not application.applicant_name:
        lines = [f"{person['civilite']} {person['personne_prenom']} {person['personne_nom']}"]
    else:
        lines = [application.applicant_name]
        if application.applicant_organisation:
            lines.append(application.applicant_organisation)
    lines.append(application.applicant_address)
    lines.append(f"{application.applicant_postcode} {application.applicant_city}".strip())
    return [line.strip() for line in lines if line and line.strip()]


def _applicant_is_person(application) -> bool:
    return application.applicant_kind == RequesterKind.PERSON and not application.applicant_name


def _mdph_orientation(application):
    """The orientation the designation concerns: the latest one fitting the establishment,
    else the latest one."""
    orientations = list(application.person.orientations.order_by("-valid_to", "-pk"))
    category = application.establishment.category
    fitting = [o for o in orientations if fits(category, o.kind)]
    return (fitting or orientations or [None])[0]


def mdph_recipient(application) -> list[str]:
    """The MDPH that decided the orientation (as the orientation says), else the one of the
    establishment's settings: its name and postal address, one line each."""
    orientation = _mdph_orientation(application)
    text = orientation.mdph if orientation is not None and orientation.mdph else ""
    if not text:
        settings = admission_settings(application.establishment)
        text = "\n".join(p for p in (settings.mdph_name, settings.mdph_address) if p)
    return [line.strip() for line in text.splitlines() if line.strip()]


def letter_context(application, kind: str = "", *, user=None) -> dict:
    """The limited context of a letter: plain strings and lists, nothing else. Every missing
    piece is listed (the expected ones by default too, `selectors.checklist`)."""
    establishment = application.establishment
    decision = latest_decision(application)
    person = person_context(application.person)
    if not _applicant_is_person(application):
        person["civilite"] = _("Madame, Monsieur")
    context = {
        **person,
        **establishment_context(establishment),
        "date_du_jour": day_text(dates.today(establishment)),
        "demande_recue_le": day_text(application.received_on),
        "accueil": str(PlaceKind(application.place_kind).label) if application.place_kind else "",
        "pieces_manquantes": missing_pieces(checklist(application)),
        "motif_refus": decision.reason
        if decision and decision.outcome == DecisionOutcome.REFUSED
        else "",
        "date_decision": day_text(decision.decided_on) if decision else "",
        "demandeur": " — ".join(applicant_recipient(application)[:1]),
        "orientation_type": "",
        "orientation_decision_du": "",
        "orientation_reference": "",
        "places_disponibles": "",
        "personnes_en_attente": "",
    }
    if kind == LetterKind.MDPH_NOTICE:
        orientation = _mdph_orientation(application)
        if orientation is not None:
            context["orientation_type"] = orientation.label
            context["orientation_decision_du"] = day_text(orientation.decided_on)
            context["orientation_reference"] = orientation.reference
        free = (
            occupancy(user=user, establishment=establishment, names=False).free_today if user else 0
        )
        context["places_disponibles"] = str(free)
        context["personnes_en_attente"] = str(waiting_count(establishment))
    return context


def render_letter_pdf(*, application, kind: str, signer=None) -> tuple[str, bytes]:
    """(title, PDF bytes) of a letter of the application, in the establishment's wording,
    addressed to the applicant (the MDPH for its notice)."""
    title, body = letter_wording(application.establishment, kind)
    context = letter_context(application, kind, user=signer)
    if kind == LetterKind.MDPH_NOTICE:
        recipient = mdph_recipient(application)
        about = ""
    else:
        recipient = applicant_recipient(application)
        about = (
            ""
            if _applicant_is_person(application)
            else f"{context['personne_prenom']} {context['personne_nom']}"
        )
    pdf = render_pdf(
        "letter.html",
        {
            "title": title,
            "body": render_body(body, context),
            "ctx": context,
            "recipient": recipient,
            "about": about,
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
        "personne_nee": "née",
        **establishment_context(establishment),
        "date_du_jour": day_text(today),
        "demande_recue_le": day_text(today),
        "accueil": str(PlaceKind.PERMANENT.label),
        "pieces_manquantes": [str(PieceKind.CERFA_MEDICAL.label)],
        "motif_refus": _("(motif du refus enregistré par la commission)"),
        "date_decision": day_text(today),
        "demandeur": "Mme Claire EXEMPLE",
        "orientation_type": _("(type de l'orientation CDAPH)"),
        "orientation_decision_du": day_text(today),
        "orientation_reference": "",
        "places_disponibles": "0",
        "personnes_en_attente": "0",
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
                "parties": _("La personne signe seule."),
                "fin_prevue": "",
                "orientation": "",
                "duree": _("Durée indéterminée à compter du %(day)s.") % {"day": day_text(today)},
                "tarifs": [
                    {
                        "libelle": _("Hébergement"),
                        "montant": format_amount("70"),
                        "unite": str(PRICE_UNITS["day"]),
                    }
                ],
            }
        )
    return context


def render_preview_pdf(*, establishment, kind: str) -> bytes:
    """The stored wording rendered for a fictitious person (nothing is stored)."""
    title, body = letter_wording(establishment, kind)
    context = sample_context(establishment, kind)
    layout = "contract.html" if kind == LetterKind.CONTRACT else "letter.html"
    return render_pdf(
        layout,
        {
            "title": title,
            "body": render_body(body, context),
            "ctx": context,
            "recipient": [context["demandeur"], "1 rue de l'Exemple", "69000 LYON"],
            "signer": "",
        },
    )


# --- Contract ---------------------------------------------------------------------------------


def _price_rows(price_lines: list[dict]) -> list[dict]:
    return [
        {
            "libelle": line["label"],
            "montant": format_amount(line["amount"]),
            "unite": str(PRICE_UNITS.get(line.get("unit"), "")),
            "nature": str(PRICE_KINDS.get(line.get("kind"), "")),
            "socle": line.get("kind") == PriceKind.ACCOMMODATION_BASE,
        }
        for line in price_lines
    ]


def _parties(stay, on: date) -> tuple[str, list[dict]]:
    """Who signs the contract, as `who_signs` phrases it, and one signature place each."""
    signing = who_signs(stay.person, Act.CONTRACT, on=on)
    places = [
        {"nom": signatory.name, "qualite": str(signatory.capacity), "role": str(signatory.role)}
        for signatory in signing.signers
    ]
    return signing.sentence, places


def _orientation_text(stay) -> str:
    """The CDAPH's prior decision the contract refers to (D311 V: the contract mentions the
    decisions of orientation taken before it), if any."""
    orientations = [
        o
        for o in stay.person.orientations.order_by("-decided_on", "-pk")
        if fits(stay.establishment.category, o.kind)
    ]
    if not orientations:
        return ""
    orientation = orientations[0]
    text = _("Décision de la CDAPH du %(day)s : %(label)s") % {
        "day": day_text(orientation.decided_on),
        "label": orientation.label,
    }
    if orientation.reference:
        text += _(" (référence %(ref)s)") % {"ref": orientation.reference}
    return text


def _duration_text(stay, kind: str) -> str:
    """D311 IV: the contract is concluded for the duration it states."""
    if kind == ContractKind.ESAT:
        # CASF annexe 3-9 art. 12.
        return _("Un an à compter du %(day)s, renouvelable par tacite reconduction.") % {
            "day": day_text(stay.started_on)
        }
    if stay.planned_end is not None:
        return _("Du %(start)s au %(end)s (fin prévue du séjour).") % {
            "start": day_text(stay.started_on),
            "end": day_text(stay.planned_end),
        }
    return _("Durée indéterminée à compter du %(day)s.") % {"day": day_text(stay.started_on)}


def contract_context(contract) -> dict:
    """The limited context of a contract: plain strings and lists. Its mandatory content (CASF
    L311-4 al. 2, D311 IV, V, VIII, L311-4-1 II; L342-2 for an EHPAD) is filled from the stay,
    the person's CDAPH orientation, `who_signs` and the frozen price lines."""
    stay = contract.stay
    kind = contract.kind
    place = stay.unit.name + (f" · {stay.place.label}" if stay.place_id else "")
    today = dates.today(stay.establishment)
    parties, places = _parties(stay, max(today, stay.started_on))
    price_list = price_list_in_force(stay.establishment, stay.started_on)
    representative = current_representative(stay.person)
    return {
        **person_context(stay.person),
        **establishment_context(stay.establishment),
        "date_du_jour": day_text(today),
        "accueil": str(PlaceKind(stay.kind).label) if stay.kind else "",
        "contrat_type": contract_label(kind),
        "date_entree": day_text(stay.started_on),
        "fin_prevue": day_text(stay.planned_end),
        "place": place,
        "parties": parties,
        "signataires": places,
        "representant_nom": representative.name if representative else "",
        "representant_mesure": representative.measure if representative else "",
        "echeance_remise": day_text(delivery_due_by(stay.started_on)),
        "echeance_signature": day_text(contract.due_by),
        "echeance_avenant": day_text(objectives_due_by(stay.started_on)),
        "orientation": _orientation_text(stay),
        "duree": _duration_text(stay, kind),
        "tarifs": _price_rows(contract.price_lines),
        "facturation_absence": price_list.absence_billing if price_list else "",
        "ehpad": stay.establishment.category == EstablishmentCategory.EHPAD,
        "dipc": kind == ContractKind.DIPC,
        "esat": kind == ContractKind.ESAT,
        "refus_le": day_text(contract.refused_on),
        "retractation_jours": str(WITHDRAWAL_DAYS),
    }


def render_contract_pdf(*, contract, signer=None) -> tuple[str, bytes]:
    """(title, PDF bytes) of the contract, in the establishment's wording, with the mandatory
    content after it. A DIPC or an ESAT's contract without a wording of the establishment's own
    is titled as such."""
    stay = contract.stay
    title, body = letter_wording(stay.establishment, LetterKind.CONTRACT)
    if (
        contract.kind != ContractKind.CONTRACT
        and letter_template_of(stay.establishment, LetterKind.CONTRACT) is None
    ) or contract.kind == ContractKind.DIPC:
        title = str(ContractKind(contract.kind).label)
    context = contract_context(contract)
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


def render_amendment_pdf(
    *, contract, effective_on, description, price_lines, signer, sets_objectives=False
) -> bytes:
    context = contract_context(contract)
    context["tarifs"] = _price_rows(price_lines)
    return render_pdf(
        "amendment.html",
        {
            "title": (
                _("Avenant au %(kind)s — objectifs et prestations")
                if sets_objectives
                else _("Avenant au %(kind)s")
            )
            % {"kind": context["contrat_type"]},
            "ctx": context,
            "contract": contract,
            "effective_on": day_text(effective_on),
            "description": description,
            "sets_objectives": sets_objectives,
            "signer": _signer_name(signer),
        },
    )
