"""The person's entourage, trusted person, legal protection and record alerts: writes (services)
and the reads of their pages.

Entries are never deleted: a contact leaves the entourage (`ended_on`), a measure is lifted
(`ended_on`), an alert is ended; a wrong entry is marked *entered in error* with a reason.
Every write checks the acting user's write right on the entry's category, refuses a stale form
(`expected_version`) and journals itself in the same transaction.

Trusted person (personne de confiance, CASF L311-5-1 and CSP L1111-6): one at a time, designated
in writing, revisable and revocable at any time; a new designation ends the previous one.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import organisation_ids, person_access

from .models import Contact, LegalProtection, PersonAlert
from .protection import signing_rule

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE

CONTACT_FIELDS = (
    "last_name",
    "first_name",
    "relationship",
    "relationship_detail",
    "organisation_name",
    "phone",
    "phone_alt",
    "email",
    "address",
    "is_family_referent",
    "is_emergency_contact",
    "notes",
)
PROTECTION_FIELDS = (
    "kind",
    "scope",
    "started_on",
    "review_on",
    "court",
    "judgement_reference",
    "judgement_date",
    "judgement_document",
    "representative_contact",
    "representative_partner",
    "notes",
)
ALERT_FIELDS = ("category", "label", "detail", "level")

STALE_CONTACT = _(
    "Ce proche a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
STALE_PROTECTION = _(
    "Cette mesure de protection a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)
STALE_ALERT = _(
    "Cette alerte a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


# --- Shared steps -----------------------------------------------------------------------------


def _require_write(acting_user, person, category: str = ADMINISTRATIVE):
    access = person_access(user=acting_user, person=person)
    if not access.can_write(category):
        raise AccessDenied(
            _(
                "Votre profession ne peut pas modifier cette partie du dossier, "
                "ou l'accompagnement de cette personne est terminé."
            )
        )
    return access


def _locked(
    model, instance, expected_version: int | None, stale_message: str, *, require: bool = False
):
    """The row as it is now, locked until the end of the transaction; a form read at another
    version is refused rather than overwriting someone else's change (DESIGN §4.4). An edit
    form (`require`) must say which version it was read at."""
    current = model.objects.select_for_update().get(pk=instance.pk)
    if (expected_version is None and require) or (
        expected_version is not None and current.version != expected_version
    ):
        raise ValidationError(stale_message, code="stale_version")
    return current


def _required_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _clean_strings(data: dict, fields) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}


def _save(instance, acting_user, *, reason: str = "", created: bool = False) -> None:
    """Validate (fields, model rules and named constraints) and save, with who and why."""
    if created:
        instance.created_by = acting_user
    else:
        instance.version += 1
    instance.updated_by = acting_user
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        # A concurrent write got past validation first: name the rule it broke.
        for constraint in instance._meta.constraints:
            if constraint.name in str(error):
                raise ValidationError(
                    constraint.violation_error_message, code=constraint.name
                ) from error
        raise


def _day(value: date) -> str:
    return date_format(value, "d/m/Y")


# --- Contacts ---------------------------------------------------------------------------------


@transaction.atomic
def contact_create(*, acting_user, person, data: dict) -> Contact:
    """Add someone to the person's entourage. The trusted person is designated afterwards
    (`trusted_person_designate`): the designation has its own date and signed form."""
    _require_write(acting_user, person)
    contact = Contact(person=person, **_clean_strings(data, CONTACT_FIELDS))
    _save(contact, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=contact)
    return contact


def _require_active_contact(contact: Contact) -> None:
    if not contact.is_active:
        raise ValidationError(
            _(
                "Ce proche ne fait plus partie de l'entourage ou a été saisi par erreur : "
                "il ne peut plus être modifié."
            ),
            code="contact_not_active",
        )


def _represents_current_protection(contact: Contact) -> bool:
    return contact.represented_protections.filter(LegalProtection.current_q()).exists()


@transaction.atomic
def contact_update(
    *, acting_user, contact: Contact, data: dict, expected_version: int | None
) -> Contact:
    _require_write(acting_user, contact.person)
    contact = _locked(Contact, contact, expected_version, STALE_CONTACT, require=True)
    _require_active_contact(contact)
    for field, value in _clean_strings(data, CONTACT_FIELDS).items():
        setattr(contact, field, value)
    _save(contact, acting_user)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=contact.person, obj=contact)
    return contact


@transaction.atomic
def contact_end(
    *,
    acting_user,
    contact: Contact,
    ended_on: date,
    reason: str,
    expected_version: int | None = None,
) -> Contact:
    """The contact no longer belongs to the entourage (moved away, deceased, estranged…). A
    trusted person designation ends with it; a representative's measure must be changed first."""
    _require_write(acting_user, contact.person)
    contact = _locked(Contact, contact, expected_version, STALE_CONTACT)
    _require_active_contact(contact)
    reason = _required_reason(reason, _("Indiquez pourquoi ce proche quitte l'entourage."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Indiquez la date.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("La date ne peut être dans le futur.")})
    if _represents_current_protection(contact):
        raise ValidationError(
            _(
                "Ce proche exerce une mesure de protection en cours : enregistrez d'abord la "
                "levée de la mesure ou son nouveau représentant."
            ),
            code="contact_is_representative",
        )
    contact.ended_on = ended_on
    _save(contact, acting_user, reason=_("Fin : %(reason)s") % {"reason": reason})
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=contact.person, obj=contact)
    return contact


@transaction.atomic
def contact_mark_entered_in_error(
    *, acting_user, contact: Contact, reason: str, expected_version: int | None = None
) -> Contact:
    """The contact should never have been recorded (wrong person, duplicate). Kept, with its
    history, out of the current entourage."""
    _require_write(acting_user, contact.person)
    contact = _locked(Contact, contact, expected_version, STALE_CONTACT)
    reason = _required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    if contact.entered_in_error:
        raise ValidationError(_("Ce proche est déjà marqué comme saisi par erreur."))
    if _represents_current_protection(contact):
        raise ValidationError(
            _(
                "Ce proche exerce une mesure de protection en cours : corrigez d'abord la mesure "
                "(autre représentant, ou mesure saisie par erreur)."
            ),
            code="contact_is_representative",
        )
    contact.entered_in_error = True
    contact.entered_in_error_reason = reason
    _save(contact, acting_user, reason=_("Saisi par erreur : %(reason)s") % {"reason": reason})
    journal.record(user=acting_user, action=AccessAction.AMEND, person=contact.person, obj=contact)
    return contact


# --- Trusted person ---------------------------------------------------------------------------


def _check_trusted_person_form(contact: Contact, document) -> None:
    from dui.documents.models import DocumentKind

    if document is None:
        return
    if document.person_id != contact.person_id:
        raise ValidationError(
            {"trusted_person_form": _("Ce document appartient au dossier d'une autre personne.")}
        )
    if document.kind != DocumentKind.TRUSTED_PERSON_FORM or document.entered_in_error:
        raise ValidationError(
            {
                "trusted_person_form": _(
                    "Choisissez un document de type « Désignation de la personne de confiance »."
                )
            }
        )


@transaction.atomic
def trusted_person_designate(
    *,
    acting_user,
    contact: Contact,
    designated_on: date,
    form_document=None,
    expected_version: int | None = None,
) -> Contact:
    """Designate `contact` as the person's trusted person (CASF L311-5-1). The previous
    designation, if any, ends in the same transaction: there is one trusted person at a time
    (constraint `contact_one_trusted_person`)."""
    person = contact.person
    _require_write(acting_user, person)
    contact = _locked(Contact, contact, expected_version, STALE_CONTACT)
    _require_active_contact(contact)
    if designated_on is None:
        raise ValidationError(
            {"trusted_person_designated_on": _("Indiquez la date de désignation.")}
        )
    _check_trusted_person_form(contact, form_document)
    previous = list(
        Contact.objects.select_for_update()
        .filter(person_id=contact.person_id, is_trusted_person=True)
        .filter(ended_on__isnull=True, entered_in_error=False)
        .exclude(pk=contact.pk)
    )
    for former in previous:
        former.is_trusted_person = False
        _save(
            former,
            acting_user,
            reason=_("Nouvelle personne de confiance désignée le %(day)s")
            % {"day": _day(designated_on)},
        )
        journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=former)
    contact.is_trusted_person = True
    contact.trusted_person_designated_on = designated_on
    contact.trusted_person_form = form_document
    _save(
        contact,
        acting_user,
        reason=_("Désignée personne de confiance le %(day)s") % {"day": _day(designated_on)},
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=contact)
    return contact


@transaction.atomic
def trusted_person_revoke(
    *, acting_user, contact: Contact, reason: str, expected_version: int | None = None
) -> Contact:
    """The person revokes the designation (possible at any time); the contact stays in the
    entourage and the designation stays readable in the history."""
    _require_write(acting_user, contact.person)
    contact = _locked(Contact, contact, expected_version, STALE_CONTACT)
    reason = _required_reason(reason, _("Indiquez le motif de la révocation."))
    if not (contact.is_trusted_person and contact.is_active):
        raise ValidationError(_("Ce proche n'est pas la personne de confiance actuelle."))
    contact.is_trusted_person = False
    _save(contact, acting_user, reason=_("Désignation révoquée : %(reason)s") % {"reason": reason})
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=contact.person, obj=contact)
    return contact


# --- Legal protection -------------------------------------------------------------------------


def _check_protection_links(protection: LegalProtection, acting_user) -> None:
    """What the model cannot check alone: the representative is a current member of this
    person's entourage, or a mandataire judiciaire of the user's organisation; the judgement
    is a document of this person's record."""
    from dui.coordination.models import PartnerKind

    contact = protection.representative_contact
    if contact is not None:
        if contact.person_id != protection.person_id:
            raise ValidationError(
                {
                    "representative_contact": _(
                        "Ce proche appartient à l'entourage d'une autre personne."
                    )
                }
            )
        if not contact.is_active:
            raise ValidationError(
                {
                    "representative_contact": _(
                        "Ce proche ne fait plus partie de l'entourage : choisissez un proche actuel."
                    )
                }
            )
    partner = protection.representative_partner
    if partner is not None:
        if partner.kind != PartnerKind.PROTECTION_SERVICE or not partner.is_active:
            raise ValidationError(
                {
                    "representative_partner": _(
                        "Choisissez un mandataire judiciaire à la protection des majeurs actif."
                    )
                }
            )
        if partner.organisation_id not in organisation_ids(acting_user):
            raise ValidationError(
                {
                    "representative_partner": _(
                        "Ce mandataire n'est pas dans l'annuaire de votre organisme."
                    )
                }
            )
    document = protection.judgement_document
    if document is not None and (
        document.person_id != protection.person_id or document.entered_in_error
    ):
        raise ValidationError(
            {"judgement_document": _("Ce document n'est pas un document valide de ce dossier.")}
        )


@transaction.atomic
def legal_protection_create(*, acting_user, person, data: dict) -> LegalProtection:
    """Record a protection measure with its judgement and who exercises it."""
    _require_write(acting_user, person)
    protection = LegalProtection(person=person, **_clean_strings(data, PROTECTION_FIELDS))
    _check_protection_links(protection, acting_user)
    _save(protection, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=protection)
    return protection


def _require_not_in_error(protection: LegalProtection) -> None:
    if protection.entered_in_error:
        raise ValidationError(
            _("Cette mesure a été saisie par erreur : elle ne peut plus être modifiée."),
            code="protection_in_error",
        )


@transaction.atomic
def legal_protection_update(
    *, acting_user, protection: LegalProtection, data: dict, expected_version: int | None
) -> LegalProtection:
    """Correct or complete a measure (renewal date, new representative after a judgement…)."""
    _require_write(acting_user, protection.person)
    protection = _locked(
        LegalProtection, protection, expected_version, STALE_PROTECTION, require=True
    )
    _require_not_in_error(protection)
    for field, value in _clean_strings(data, PROTECTION_FIELDS).items():
        setattr(protection, field, value)
    _check_protection_links(protection, acting_user)
    _save(protection, acting_user)
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=protection.person, obj=protection
    )
    return protection


@transaction.atomic
def legal_protection_end(
    *,
    acting_user,
    protection: LegalProtection,
    ended_on: date,
    reason: str,
    expected_version: int | None = None,
) -> LegalProtection:
    """The measure is lifted (mainlevée, not renewed, death…). A date after today is the end the
    judgement fixes: the measure stays current until then."""
    _require_write(acting_user, protection.person)
    protection = _locked(LegalProtection, protection, expected_version, STALE_PROTECTION)
    _require_not_in_error(protection)
    if protection.ended_on is not None:
        raise ValidationError(_("La levée de cette mesure est déjà enregistrée."))
    reason = _required_reason(reason, _("Indiquez le motif de la levée (mainlevée, décès…)."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Indiquez la date de levée.")})
    protection.ended_on = ended_on
    _save(protection, acting_user, reason=_("Levée : %(reason)s") % {"reason": reason})
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=protection.person, obj=protection
    )
    return protection


@transaction.atomic
def legal_protection_mark_entered_in_error(
    *,
    acting_user,
    protection: LegalProtection,
    reason: str,
    expected_version: int | None = None,
) -> LegalProtection:
    _require_write(acting_user, protection.person)
    protection = _locked(LegalProtection, protection, expected_version, STALE_PROTECTION)
    reason = _required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    _require_not_in_error(protection)
    protection.entered_in_error = True
    protection.entered_in_error_reason = reason
    _save(protection, acting_user, reason=_("Saisie par erreur : %(reason)s") % {"reason": reason})
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=protection.person, obj=protection
    )
    return protection


# --- Alerts -----------------------------------------------------------------------------------


@transaction.atomic
def alert_create(*, acting_user, person, data: dict) -> PersonAlert:
    """A short alert of the record header, in one category: only professions reading that
    category see it, only those writing it may set it."""
    fields = _clean_strings(data, ALERT_FIELDS)
    category = fields.get("category")
    if category not in InformationCategory.values:
        raise ValidationError({"category": _("Choisissez la partie du dossier de l'alerte.")})
    _require_write(acting_user, person, category)
    alert = PersonAlert(person=person, **fields)
    _save(alert, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=alert)
    return alert


@transaction.atomic
def alert_end(
    *,
    acting_user,
    alert: PersonAlert,
    ended_on: date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> PersonAlert:
    _require_write(acting_user, alert.person, alert.category)
    alert = _locked(PersonAlert, alert, expected_version, STALE_ALERT)
    if alert.entered_in_error or alert.ended_on is not None:
        raise ValidationError(_("Cette alerte n'est plus en cours."))
    ended_on = ended_on or timezone.localdate()
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("La date ne peut être dans le futur.")})
    alert.ended_on = ended_on
    reason = (reason or "").strip()
    _save(
        alert, acting_user, reason=(_("Levée : %(reason)s") % {"reason": reason}) if reason else ""
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=alert.person, obj=alert)
    return alert


# --- Reads ------------------------------------------------------------------------------------


def entourage_page(*, person) -> dict:
    """Everything the entourage tab shows, in three queries whatever the number of contacts:
    contacts (with their signed form), their current measures (`is_legal_representative`
    without a query per contact), and the measures with their representative."""
    contacts = list(
        Contact.objects.filter(person=person)
        .select_related("trusted_person_form")
        .prefetch_related(
            Prefetch(
                "represented_protections",
                queryset=LegalProtection.objects.filter(LegalProtection.current_q()),
                to_attr="_current_protections",
            )
        )
        .order_by("-is_trusted_person", "-is_emergency_contact", "last_name", "first_name", "pk")
    )
    protections = list(
        LegalProtection.objects.filter(person=person)
        .select_related("representative_contact", "representative_partner", "judgement_document")
        .order_by("-started_on", "-pk")
    )
    for protection in protections:
        protection.signing = signing_rule(protection.kind)
    return {
        "contacts": [c for c in contacts if c.is_active],
        "former_contacts": [c for c in contacts if not c.is_active],
        "protections": [p for p in protections if p.is_current],
        "former_protections": [p for p in protections if not p.is_current],
    }


def representative_choices(*, person, organisation_ids_: set[int]) -> dict:
    """Who may exercise a measure: a current member of the entourage, or a mandataire
    judiciaire (partner of kind *protection*) of the user's organisations."""
    from dui.coordination.models import Partner, PartnerKind

    return {
        "contacts": list(
            Contact.objects.filter(person=person, ended_on__isnull=True, entered_in_error=False)
            .only("public_id", "last_name", "first_name", "relationship", "person_id")
            .order_by("last_name", "first_name", "pk")
        ),
        "partners": list(
            Partner.objects.filter(
                organisation_id__in=organisation_ids_,
                kind=PartnerKind.PROTECTION_SERVICE,
                is_active=True,
            )
            .only("public_id", "name", "organisation_id", "kind")
            .order_by("name", "pk")
        ),
    }


def person_documents(*, person, kind: str, readable):
    """The person's documents of one kind that the user may read (documents carry their own
    category)."""
    from dui.documents.models import Document

    return Document.objects.filter(
        person=person, kind=kind, entered_in_error=False, category__in=sorted(readable)
    ).order_by("-document_date", "-pk")


def alerts_page(*, person, readable) -> dict:
    alerts = list(
        PersonAlert.objects.filter(person=person, category__in=sorted(readable))
        .select_related("updated_by")
        .order_by("-created_at", "-pk")
    )
    current = [a for a in alerts if not a.entered_in_error and a.ended_on is None]
    level_rank = {
        PersonAlert.Level.DANGER: 0,
        PersonAlert.Level.WARNING: 1,
        PersonAlert.Level.INFO: 2,
    }
    current.sort(key=lambda a: (level_rank.get(a.level, 3), a.label.lower()))
    return {
        "alerts": current,
        "former_alerts": [a for a in alerts if a.entered_in_error or a.ended_on is not None],
    }
