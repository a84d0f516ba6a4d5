"""The entourage and protection tab (contacts, trusted person, legal protection measures) and the
alerts page of a person's record. Thin views: access → form → service → redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dui.access.decorators import person_view, person_view_by
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import organisation_ids
from dui.access.refusals import denied
from dui.coordination.models import PartnerKind
from dui.coordination.services import partner_create
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.documents.models import DocumentKind
from dui.documents.selectors import documents_of_kind

from .. import entourage as services
from ..forms_entourage import (
    AlertEndForm,
    AlertForm,
    AuthorityEndForm,
    ContactEndForm,
    ContactForm,
    EnteredInErrorForm,
    MandataireForm,
    ParentalAuthorityForm,
    ProtectionEndForm,
    ProtectionForm,
    ReasonForm,
    TrustedPersonForm,
)
from ..models import Contact, LegalProtection, ParentalAuthority, PersonAlert
from ..protection import Act, rules_table, who_signs
from ..record_page import render_record

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
SECTION = "entourage"


def _entourage_url(person) -> str:
    return reverse("people:entourage", kwargs={"person_id": person.public_id})


def _contact(request, contact_id) -> Contact:
    return get_object_or_404(Contact, person=request.person, public_id=contact_id)


def _protection(request, protection_id) -> LegalProtection:
    return get_object_or_404(
        LegalProtection.objects.select_related("representative_contact", "representative_partner"),
        person=request.person,
        public_id=protection_id,
    )


# --- The tab ----------------------------------------------------------------------------------


@login_required
@person_view(category=ADMINISTRATIVE)
def entourage(request, person_id):
    return render_record(
        request,
        "people/entourage/entourage.html",
        {
            **services.entourage_page(person=request.person),
            "can_write": request.person_access.can_write(ADMINISTRATIVE),
            "today": dates.today(),
        },
        section=SECTION,
    )


# --- Contacts ---------------------------------------------------------------------------------


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def contact_create(request, person_id):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                acting_user=request.user, person=request.person, data=form.contact_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s ajouté(e) à l'entourage.") % {"name": contact.display_name}
            )
            return redirect(_entourage_url(request.person))
    return render_record(
        request,
        "people/entourage/contact_form.html",
        {"form": form, "title": _("Ajouter un proche ou un contact")},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def contact_update(request, person_id, contact_id):
    contact = _contact(request, contact_id)
    if not contact.is_active:
        messages.error(request, _("Ce proche ne fait plus partie de l'entourage."))
        return redirect(_entourage_url(request.person))
    form = ContactForm(request.POST or None, instance=contact, initial={"version": contact.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                acting_user=request.user,
                contact=contact,
                data=form.contact_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Coordonnées enregistrées."))
            return redirect(_entourage_url(request.person))
    return render_record(
        request,
        "people/entourage/contact_form.html",
        {"form": form, "contact": contact, "title": _("Modifier un proche ou un contact")},
        section=SECTION,
        status=form_status(request),
    )


def _entry_action(request, entry, *, kwarg, form_class, service, template_context, success):
    """End an entry of the entourage (contact, protection measure, parental authority), mark it
    entered in error or revoke a designation: one reason form, one service call. `success` is
    the confirmation, already worded; an end form starts at today."""
    initial = {"version": entry.version}
    if form_class in (ContactEndForm, AuthorityEndForm):
        initial["ended_on"] = dates.today()
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(
                acting_user=request.user,
                expected_version=data.pop("version"),
                **{kwarg: entry},
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_entourage_url(request.person))
    return render_record(
        request,
        "people/entourage/entry_action.html",
        {"form": form, "entry": entry, **template_context},
        section=SECTION,
        status=form_status(request),
    )


def _contact_action(request, contact_id, *, success, **action):
    contact = _contact(request, contact_id)
    name = {"name": contact.display_name}
    return _entry_action(request, contact, kwarg="contact", success=success % name, **action)


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def contact_end(request, person_id, contact_id):
    return _contact_action(
        request,
        contact_id,
        form_class=ContactEndForm,
        service=services.contact_end,
        template_context={
            "title": _("Ne fait plus partie de l'entourage"),
            "explanation": _(
                "Le proche reste visible dans la partie « anciens contacts », avec son historique. "
                "S'il était personne de confiance, la désignation prend fin avec lui."
            ),
            "submit": _("Enregistrer la fin"),
        },
        success=_("%(name)s ne fait plus partie de l'entourage."),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def contact_error(request, person_id, contact_id):
    return _contact_action(
        request,
        contact_id,
        form_class=EnteredInErrorForm,
        service=services.contact_mark_entered_in_error,
        template_context={
            "title": _("Saisie par erreur"),
            "explanation": _(
                "Pour un proche qui n'aurait jamais dû être enregistré (autre personne, doublon). "
                "Rien n'est effacé : la saisie reste dans l'historique avec votre motif."
            ),
            "submit": _("Marquer comme saisi par erreur"),
            "danger": True,
        },
        success=_("%(name)s est marqué(e) comme saisi(e) par erreur."),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def trusted_person_revoke(request, person_id, contact_id):
    return _contact_action(
        request,
        contact_id,
        form_class=ReasonForm,
        service=services.trusted_person_revoke,
        template_context={
            "title": _("Révoquer la désignation de la personne de confiance"),
            "explanation": _(
                "La personne peut révoquer sa désignation à tout moment (CASF L311-5-1). "
                "Le proche reste dans l'entourage."
            ),
            "submit": _("Révoquer la désignation"),
            "danger": True,
        },
        success=_("%(name)s n'est plus personne de confiance."),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def trusted_person_designate(request, person_id, contact_id):
    """Designate a trusted person: offered to adults only (CASF L311-5-1); the form asks the
    authorisation of the judge or the family council when a measure requires it."""
    person = request.person
    contact = _contact(request, contact_id)
    if not contact.is_active:
        messages.error(request, _("Ce proche ne fait plus partie de l'entourage."))
        return redirect(_entourage_url(person))
    signing = who_signs(person, Act.TRUSTED_PERSON)
    if signing.refusal:
        messages.error(request, signing.refusal)
        return redirect(_entourage_url(person))
    documents = documents_of_kind(
        person=person, kind=DocumentKind.TRUSTED_PERSON_FORM, access=request.person_access
    )
    judgements = documents_of_kind(
        person=person, kind=DocumentKind.JUDGEMENT, access=request.person_access
    )
    current = services.current_trusted_person(person=person)
    if current is not None and current.pk == contact.pk:
        current = None  # the page names the designation this one would replace
    designated = contact.is_trusted_person
    form = TrustedPersonForm(
        request.POST or None,
        documents=documents,
        judgements=judgements,
        needs_authorisation=signing.authorisation_required,
        initial={
            "version": contact.version,
            "trusted_person_designated_on": contact.trusted_person_designated_on
            if designated
            else None,
            "trusted_person_form": contact.trusted_person_form.public_id
            if designated and contact.trusted_person_form_id
            else None,
            "trusted_person_authorised_by": contact.trusted_person_authorised_by
            if designated
            else "",
            "trusted_person_authorised_on": contact.trusted_person_authorised_on
            if designated
            else None,
            "trusted_person_authorisation": contact.trusted_person_authorisation.public_id
            if designated and contact.trusted_person_authorisation_id
            else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trusted_person_designate(
                acting_user=request.user,
                contact=contact,
                designated_on=form.cleaned_data["trusted_person_designated_on"],
                form_document=form.cleaned_data["trusted_person_form"],
                expected_version=form.cleaned_data["version"],
                **form.authorisation_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s est désormais la personne de confiance.")
                % {"name": contact.display_name},
            )
            return redirect(_entourage_url(person))
    return render_record(
        request,
        "people/entourage/trusted_person_form.html",
        {"form": form, "contact": contact, "current": current, "signing": signing},
        section=SECTION,
        status=form_status(request),
    )


# --- Legal protection -------------------------------------------------------------------------


def _protection_form(request, data=None, *, initial=None, editing=False):
    person = request.person
    choices = services.representative_choices(
        person=person, organisation_ids_=organisation_ids(request.user)
    )
    documents = documents_of_kind(
        person=person, kind=DocumentKind.JUDGEMENT, access=request.person_access
    )
    return ProtectionForm(
        data,
        contacts=choices["contacts"],
        partners=choices["partners"],
        documents=documents,
        initial=initial,
        editing=editing,
    )


def _protection_page(request, form, *, protection=None, partner_form=None, status=200):
    return render_record(
        request,
        "people/entourage/protection_form.html",
        {
            "form": form,
            "protection": protection,
            "partner_form": partner_form or MandataireForm(),
            "title": _("Modifier la mesure de protection")
            if protection
            else _("Enregistrer une mesure de protection"),
            "rules": rules_table(),
        },
        section=SECTION,
        status=status,
    )


def _add_protection_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_service_error(None if field == "__all__" else field, field_messages)
    else:
        form.add_error(None, error.messages)


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def protection_create(request, person_id):
    initial = {}
    chosen = request.GET.get("mandataire")
    if chosen:
        initial["representative"] = f"partner:{chosen}"
    form = _protection_form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            protection = services.legal_protection_create(
                acting_user=request.user, person=request.person, data=form.protection_data()
            )
        except ValidationError as error:
            _add_protection_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s enregistrée.") % {"kind": protection.get_kind_display()},
            )
            return redirect(_entourage_url(request.person))
    return _protection_page(request, form, status=form_status(request))


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def protection_update(request, person_id, protection_id):
    protection = _protection(request, protection_id)
    if protection.entered_in_error:
        messages.error(request, _("Cette mesure a été saisie par erreur."))
        return redirect(_entourage_url(request.person))
    initial = ProtectionForm.initial_for(protection)
    if request.GET.get("mandataire"):  # back from adding a mandataire without JavaScript
        initial["representative"] = f"partner:{request.GET['mandataire']}"
    form = _protection_form(request, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_protection_update(
                acting_user=request.user,
                protection=protection,
                data=form.protection_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _add_protection_errors(form, error)
        else:
            messages.success(request, _("Mesure de protection enregistrée."))
            return redirect(_entourage_url(request.person))
    return _protection_page(request, form, protection=protection, status=form_status(request))


def _protection_action(request, protection_id, *, success, **action):
    protection = _protection(request, protection_id)
    kind = {"kind": protection.get_kind_display()}
    return _entry_action(request, protection, kwarg="protection", success=success % kind, **action)


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def protection_end(request, person_id, protection_id):
    return _protection_action(
        request,
        protection_id,
        form_class=ProtectionEndForm,
        service=services.legal_protection_end,
        template_context={
            "title": _("Levée de la mesure"),
            "explanation": _(
                "La mesure reste lisible dans la partie « mesures levées », avec son historique. "
                "Une date à venir est la fin fixée par le jugement : la mesure reste en cours "
                "jusque-là."
            ),
            "submit": _("Enregistrer la levée"),
        },
        success=_("Levée de la mesure (%(kind)s) enregistrée."),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def protection_error(request, person_id, protection_id):
    return _protection_action(
        request,
        protection_id,
        form_class=EnteredInErrorForm,
        service=services.legal_protection_mark_entered_in_error,
        template_context={
            "title": _("Mesure saisie par erreur"),
            "explanation": _(
                "Pour une mesure qui n'aurait jamais dû être enregistrée. Rien n'est effacé : "
                "la saisie reste dans l'historique avec votre motif."
            ),
            "submit": _("Marquer comme saisie par erreur"),
            "danger": True,
        },
        success=_("La mesure (%(kind)s) est marquée comme saisie par erreur."),
    )


def _safe_return(request) -> str:
    """Back to the protection form the mandataire was added from (this person's pages only)."""
    back = request.POST.get("next", "")
    if back.startswith(_entourage_url(request.person)) and "//" not in back:
        return back
    return reverse("people:protection_create", kwargs={"person_id": request.person.public_id})


@login_required
@require_POST
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def protection_partner_create(request, person_id):
    """Add a mandataire judiciaire to the organisation's directory from the protection form.
    With htmx, the representative field comes back with the new mandataire selected; without
    JavaScript, the user goes back to the protection form with it selected."""
    partner_form = MandataireForm(request.POST)
    partner = None
    if partner_form.is_valid():
        try:
            partner = partner_create(
                acting_user=request.user,
                organisation=request.person_access.acting_assignment.establishment.organisation,
                kind=PartnerKind.PROTECTION_SERVICE,
                **partner_form.partner_data(),
            )
        except AccessDenied as refusal:
            # The directory's own rule (who keeps it), said and journaled on this record.
            return denied(request, refusal.message, person=request.person)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_messages in error.message_dict.items():
                    partner_form.add_service_error(
                        None if field == "__all__" else field, field_messages
                    )
            else:
                partner_form.add_error(None, error.messages)
    if request.htmx:
        selected = (
            f"partner:{partner.public_id}" if partner else request.POST.get("representative", "")
        )
        form = _protection_form(request, initial={"representative": selected})
        return render(
            request,
            "people/entourage/_representative_field.html",
            {
                "form": form,
                "partner_form": MandataireForm() if partner else partner_form,
                "partner_added": partner,
                "next": request.POST.get("next", ""),
                "person": request.person,
                "oob": True,
            },
        )
    if partner is not None:
        messages.success(request, _("%(name)s ajouté à l'annuaire.") % {"name": partner.name})
        back = _safe_return(request)
        separator = "&" if "?" in back else "?"
        return redirect(f"{back}{separator}{urlencode({'mandataire': partner.public_id})}")
    return render_record(
        request,
        "people/entourage/partner_form.html",
        {"partner_form": partner_form, "next": request.POST.get("next", "")},
        section=SECTION,
        status=400,
    )


# --- Parental authority ------------------------------------------------------------------------


def _authority(request, authority_id) -> ParentalAuthority:
    return get_object_or_404(
        ParentalAuthority.objects.select_related("holder_contact", "holder_partner", "person"),
        person=request.person,
        public_id=authority_id,
    )


def _authority_form(request, data=None, *, initial=None, editing=False):
    person = request.person
    choices = services.authority_holder_choices(
        person=person, organisation_ids_=organisation_ids(request.user)
    )
    documents = documents_of_kind(
        person=person, kind=DocumentKind.JUDGEMENT, access=request.person_access
    )
    return ParentalAuthorityForm(
        data,
        contacts=choices["contacts"],
        partners=choices["partners"],
        documents=documents,
        initial=initial,
        editing=editing,
    )


def _authority_page(request, form, *, authority=None, status=200):
    return render_record(
        request,
        "people/entourage/parental_authority_form.html",
        {
            "form": form,
            "authority": authority,
            "title": _("Modifier l'autorité parentale")
            if authority
            else _("Enregistrer un titulaire de l'autorité parentale"),
        },
        section=SECTION,
        status=status,
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def parental_authority_create(request, person_id):
    form = _authority_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authority = services.parental_authority_create(
                acting_user=request.user, person=request.person, data=form.authority_data()
            )
        except ValidationError as error:
            _add_protection_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s enregistré(e) dans l'autorité parentale.")
                % {"name": authority.holder_name},
            )
            return redirect(_entourage_url(request.person))
    return _authority_page(request, form, status=form_status(request))


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def parental_authority_update(request, person_id, authority_id):
    authority = _authority(request, authority_id)
    if authority.entered_in_error:
        messages.error(request, _("Cette ligne a été saisie par erreur."))
        return redirect(_entourage_url(request.person))
    form = _authority_form(
        request,
        request.POST or None,
        initial=ParentalAuthorityForm.initial_for(authority),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.parental_authority_update(
                acting_user=request.user,
                authority=authority,
                data=form.authority_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _add_protection_errors(form, error)
        else:
            messages.success(request, _("Autorité parentale enregistrée."))
            return redirect(_entourage_url(request.person))
    return _authority_page(request, form, authority=authority, status=form_status(request))


def _authority_action(request, authority_id, *, success, **action):
    authority = _authority(request, authority_id)
    name = {"name": authority.holder_name}
    return _entry_action(request, authority, kwarg="authority", success=success % name, **action)


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def parental_authority_end(request, person_id, authority_id):
    return _authority_action(
        request,
        authority_id,
        form_class=AuthorityEndForm,
        service=services.parental_authority_end,
        template_context={
            "title": _("Fin de la ligne d'autorité parentale"),
            "explanation": _(
                "Après une nouvelle décision (retrait, délégation, fin du placement…). La "
                "majorité de l'enfant y met fin d'elle-même : rien à enregistrer alors."
            ),
            "submit": _("Enregistrer la fin"),
        },
        success=_("Fin enregistrée pour %(name)s."),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def parental_authority_error(request, person_id, authority_id):
    return _authority_action(
        request,
        authority_id,
        form_class=EnteredInErrorForm,
        service=services.parental_authority_mark_entered_in_error,
        template_context={
            "title": _("Saisie par erreur"),
            "explanation": _(
                "Rien n'est effacé : la saisie reste dans l'historique avec votre motif."
            ),
            "submit": _("Marquer comme saisie par erreur"),
            "danger": True,
        },
        success=_("La ligne de %(name)s est marquée comme saisie par erreur."),
    )


# --- Alerts -----------------------------------------------------------------------------------


@login_required
@person_view()
def alerts(request, person_id):
    """The person's alerts in the categories the user reads; one form per category the user
    writes (an alert belongs to one part of the record)."""
    access = request.person_access
    writable = [
        (code, label) for code, label in InformationCategory.choices if access.can_write(code)
    ]
    return render_record(
        request,
        "people/entourage/alerts.html",
        {
            **services.alerts_page(person=request.person, readable=access.readable),
            "forms": [(code, label, AlertForm(prefix=code)) for code, label in writable],
            "writable": {code for code, _label in writable},
            "end_form": AlertEndForm(),
        },
        section="alerts",
    )


def _alert_category(request, category, **kwargs) -> str:
    """An alert belongs to one part of the record, named in the URL: the read/write check is
    on that category."""
    if category not in InformationCategory.values:
        raise Http404(_("Partie du dossier inconnue."))
    return category


def _alerts_url(person) -> str:
    return reverse("people:alerts", kwargs={"person_id": person.public_id})


@login_required
@require_POST
@person_view_by(_alert_category, write=True)
@idempotent
def alert_create(request, person_id, category):
    form = AlertForm(request.POST, prefix=category)
    if form.is_valid():
        try:
            services.alert_create(
                acting_user=request.user,
                person=request.person,
                data={**form.cleaned_data, "category": category},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Alerte enregistrée : elle s'affiche dans l'en-tête."))
            return redirect(_alerts_url(request.person))
    access = request.person_access
    return render_record(
        request,
        "people/entourage/alerts.html",
        {
            **services.alerts_page(person=request.person, readable=access.readable),
            "forms": [
                (code, label, form if code == category else AlertForm(prefix=code))
                for code, label in InformationCategory.choices
                if access.can_write(code)
            ],
            "open_category": category,
            "writable": {code for code in InformationCategory.values if access.can_write(code)},
            "end_form": AlertEndForm(),
        },
        section="alerts",
        status=400,
    )


@login_required
@require_POST
@person_view_by(_alert_category, write=True)
@idempotent
def alert_end(request, person_id, category, alert_id):
    alert = get_object_or_404(
        PersonAlert, person=request.person, category=category, public_id=alert_id
    )
    form = AlertEndForm(request.POST)
    if form.is_valid():
        try:
            services.alert_end(
                acting_user=request.user,
                alert=alert,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Alerte « %(label)s » levée.") % {"label": alert.label})
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(_alerts_url(request.person))
