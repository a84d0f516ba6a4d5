"""The person's entourage, trusted person, legal protection and record alerts: writes (services)
and the reads of their pages.

Entries are never deleted: a contact leaves the entourage (`ended_on`), a measure is lifted
(`ended_on`), an alert is ended; a wrong entry is marked *entered in error* with a reason.
Every write checks the acting user's write right on the entry's category, refuses a stale form
(`expected_version`) and journals itself in the same transaction.

Trusted person (personne de confiance, CASF L311-5-1 and CSP L1111-6): offered to adults only,
one at a time, designated in writing, revisable and revocable at any time; a new designation
ends the previous one; under a measure with assistance or representation for personal acts, the
designation needs the authorisation of the family council or the juge des tutelles
(`protection.who_signs(person, Act.TRUSTED_PERSON)` says when).

Parental authority (minors): who holds it and exercises it (`ParentalAuthority`): never more
than two holders exercising it jointly, a sole exercise excludes any other.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import organisation_ids
from dui.coordination.models import PartnerKind
from dui.coordination.selectors import partners_of
from dui.core import dates
from dui.documents.models import DocumentKind

from .majority import Majority
from .models import (
    MAX_JOINT_HOLDERS,
    AuthorityExercise,
    Contact,
    LegalProtection,
    ParentalAuthority,
    Person,
    PersonAlert,
)
from .plausibility import refuse_before_birth
from .protection import Act, who_signs

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
    "personal_acts",
    "acts_listed",
    "covers_accommodation_contract",
    "curator_signs_accommodation_alone",
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
AUTHORITY_FIELDS = (
    "role",
    "exercise",
    "holder_contact",
    "holder_partner",
    "relation",
    "started_on",
    "decision_kind",
    "decision_date",
    "decision_reference",
    "court",
    "decision_document",
    "notes",
)

STALE_CONTACT = _(
    "Ce proche a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
STALE_PROTECTION = _(
    "Cette mesure de protection a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)
STALE_AUTHORITY = _(
    "Cette ligne de l'autorité parentale a été modifiée par quelqu'un d'autre pendant votre "
    "saisie : rechargez la page."
)
STALE_ALERT = _(
    "Cette alerte a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


# --- Shared steps -----------------------------------------------------------------------------


def _day(value: date) -> str:
    return date_format(value, "d/m/Y")


# --- Contacts ---------------------------------------------------------------------------------


@transaction.atomic
def contact_create(*, acting_user, person, data: dict) -> Contact:
    """Add someone to the person's entourage. The trusted person is designated afterwards
    (`trusted_person_designate`): the designation has its own date and signed form."""
    writes.require_write(acting_user, person, ADMINISTRATIVE)
    contact = Contact(person=person)
    writes.assign(contact, data, CONTACT_FIELDS)
    return writes.create(contact, acting_user=acting_user, person=person)


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


def _holds_parental_authority_row(contact: Contact) -> bool:
    """Named in a parental authority row not ended (whatever its exercise: the row must be
    ended or corrected first, so that the record never names a gone contact)."""
    return (
        contact.parental_authorities.filter(entered_in_error=False)
        .filter(ended_on__isnull=True)
        .exists()
    )


PARENTAL_AUTHORITY_FIRST = _(
    "Ce proche figure dans l'autorité parentale de l'enfant : enregistrez d'abord la fin de "
    "cette ligne (jugement, majorité) ou corrigez-la."
)


def _locked_contact(acting_user, contact: Contact, expected_version) -> Contact:
    writes.require_write(acting_user, contact.person, ADMINISTRATIVE)
    return writes.lock(contact, expected_version=expected_version, stale_message=STALE_CONTACT)


@transaction.atomic
def contact_update(*, acting_user, contact: Contact, data: dict, expected_version) -> Contact:
    contact = _locked_contact(acting_user, contact, expected_version)
    _require_active_contact(contact)
    writes.assign(contact, data, CONTACT_FIELDS)
    writes.save(contact, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=contact.person, obj=contact)
    return contact


@transaction.atomic
def contact_end(
    *, acting_user, contact: Contact, ended_on: date, reason: str, expected_version
) -> Contact:
    """The contact no longer belongs to the entourage (moved away, deceased, estranged…). A
    trusted person designation ends with it; a representative's measure must be changed first."""
    contact = _locked_contact(acting_user, contact, expected_version)
    _require_active_contact(contact)
    reason = writes.required_reason(reason, _("Indiquez pourquoi ce proche quitte l'entourage."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Indiquez la date.")})
    if ended_on > dates.today():
        raise ValidationError({"ended_on": _("La date ne peut être dans le futur.")})
    if _represents_current_protection(contact):
        raise ValidationError(
            _(
                "Ce proche exerce une mesure de protection en cours : enregistrez d'abord la "
                "levée de la mesure ou son nouveau représentant."
            ),
            code="contact_is_representative",
        )
    if _holds_parental_authority_row(contact):
        raise ValidationError(PARENTAL_AUTHORITY_FIRST, code="contact_holds_parental_authority")
    contact.ended_on = ended_on
    writes.save(contact, acting_user=acting_user, reason=_("Fin : %(reason)s") % {"reason": reason})
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=contact.person, obj=contact)
    return contact


@transaction.atomic
def contact_mark_entered_in_error(
    *, acting_user, contact: Contact, reason: str, expected_version
) -> Contact:
    """The contact should never have been recorded (wrong person, duplicate). Kept, with its
    history, out of the current entourage."""
    contact = _locked_contact(acting_user, contact, expected_version)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
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
    if _holds_parental_authority_row(contact):
        raise ValidationError(PARENTAL_AUTHORITY_FIRST, code="contact_holds_parental_authority")
    contact.entered_in_error = True
    contact.entered_in_error_reason = reason
    writes.save(
        contact,
        acting_user=acting_user,
        reason=_("Saisi par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(user=acting_user, action=AccessAction.AMEND, person=contact.person, obj=contact)
    return contact


# --- Trusted person ---------------------------------------------------------------------------


def _check_trusted_person_form(contact: Contact, document) -> None:
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


def _check_authorisation_document(contact: Contact, document) -> None:
    if document is None:
        return
    if document.person_id != contact.person_id or document.entered_in_error:
        raise ValidationError(
            {
                "trusted_person_authorisation": _(
                    "Ce document n'est pas un document valide de ce dossier."
                )
            }
        )


def _check_designation_allowed(
    contact: Contact, designated_on: date, authorised_by: str, authorised_on
) -> None:
    """CASF L311-5-1 and CSP L1111-6: adults only; under a measure with assistance or
    representation for personal acts, with the authorisation of the family council or the juge
    des tutelles — the one rule of `protection.who_signs`."""
    signing = who_signs(contact.person, Act.TRUSTED_PERSON, on=designated_on)
    if signing.refusal:
        raise ValidationError(signing.refusal, code="trusted_person_minor")
    if not signing.authorisation_required:
        return
    errors = {}
    measures = ", ".join(
        str(m.get_kind_display()).lower()
        for m in signing.measures
        if m.covers_person and m.personal_acts != "none"
    )
    if not authorised_by:
        errors["trusted_person_authorised_by"] = _(
            "La personne est sous %(measures)s avec assistance ou représentation pour les actes "
            "relatifs à sa personne : la désignation demande l'autorisation du conseil de "
            "famille ou, à défaut, du juge des tutelles (CASF L311-5-1 al. 4, CSP L1111-6). "
            "Indiquez qui l'a autorisée."
        ) % {"measures": measures}
    if not authorised_on:
        errors["trusted_person_authorised_on"] = _("Indiquez la date de l'autorisation.")
    elif authorised_on > designated_on:
        errors["trusted_person_authorised_on"] = _(
            "L'autorisation précède la désignation : vérifiez les dates."
        )
    if errors:
        raise ValidationError(errors, code="trusted_person_needs_authorisation")


@transaction.atomic
def trusted_person_designate(
    *,
    acting_user,
    contact: Contact,
    designated_on: date,
    expected_version,
    form_document=None,
    authorised_by: str = "",
    authorised_on: date | None = None,
    authorisation_document=None,
) -> Contact:
    """Designate `contact` as the person's trusted person (CASF L311-5-1). Refused for a
    minor; under a measure with assistance or representation for personal acts, only with the
    recorded authorisation (who, when, the document). The previous designation, if any, ends
    in the same transaction: there is one trusted person at a time (constraint
    `contact_one_trusted_person`)."""
    person = contact.person
    contact = _locked_contact(acting_user, contact, expected_version)
    _require_active_contact(contact)
    if designated_on is None:
        raise ValidationError(
            {"trusted_person_designated_on": _("Indiquez la date de désignation.")}
        )
    _check_trusted_person_form(contact, form_document)
    refuse_before_birth(person, trusted_person_designated_on=designated_on)
    authorised_by = (authorised_by or "").strip()
    _check_designation_allowed(contact, designated_on, authorised_by, authorised_on)
    _check_authorisation_document(contact, authorisation_document)
    # The designation this one replaces: locked too, its version moves on (a form read on it
    # before now is stale).
    previous = list(
        Contact.objects.select_for_update().trusted_person_of(person).exclude(pk=contact.pk)
    )
    for former in previous:
        former.is_trusted_person = False
        writes.save(
            former,
            acting_user=acting_user,
            reason=_("Nouvelle personne de confiance désignée le %(day)s")
            % {"day": _day(designated_on)},
        )
        journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=former)
    contact.is_trusted_person = True
    contact.trusted_person_designated_on = designated_on
    contact.trusted_person_form = form_document
    contact.trusted_person_authorised_by = authorised_by if authorised_on else ""
    contact.trusted_person_authorised_on = authorised_on if authorised_by else None
    contact.trusted_person_authorisation = authorisation_document
    writes.save(
        contact,
        acting_user=acting_user,
        reason=_("Désignée personne de confiance le %(day)s") % {"day": _day(designated_on)},
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=contact)
    return contact


@transaction.atomic
def trusted_person_revoke(
    *, acting_user, contact: Contact, reason: str, expected_version
) -> Contact:
    """The person revokes the designation (possible at any time); the contact stays in the
    entourage and the designation stays readable in the history."""
    contact = _locked_contact(acting_user, contact, expected_version)
    reason = writes.required_reason(reason, _("Indiquez le motif de la révocation."))
    if not (contact.is_trusted_person and contact.is_active):
        raise ValidationError(_("Ce proche n'est pas la personne de confiance actuelle."))
    contact.is_trusted_person = False
    writes.save(
        contact,
        acting_user=acting_user,
        reason=_("Désignation révoquée : %(reason)s") % {"reason": reason},
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=contact.person, obj=contact)
    return contact


# --- Legal protection -------------------------------------------------------------------------


def _check_protection_links(protection: LegalProtection, acting_user) -> None:
    """What the model cannot check alone: the representative is a current member of this
    person's entourage, or a mandataire judiciaire of the user's organisation; the judgement
    is a document of this person's record."""
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
    writes.require_write(acting_user, person, ADMINISTRATIVE)
    protection = LegalProtection(person=person)
    writes.assign(protection, data, PROTECTION_FIELDS)
    _check_protection_links(protection, acting_user)
    return writes.create(protection, acting_user=acting_user, person=person)


def _require_not_in_error(protection: LegalProtection) -> None:
    if protection.entered_in_error:
        raise ValidationError(
            _("Cette mesure a été saisie par erreur : elle ne peut plus être modifiée."),
            code="protection_in_error",
        )


def _locked_protection(acting_user, protection: LegalProtection, expected_version):
    writes.require_write(acting_user, protection.person, ADMINISTRATIVE)
    return writes.lock(
        protection, expected_version=expected_version, stale_message=STALE_PROTECTION
    )


@transaction.atomic
def legal_protection_update(
    *, acting_user, protection: LegalProtection, data: dict, expected_version
) -> LegalProtection:
    """Correct or complete a measure (renewal date, new representative after a judgement…)."""
    protection = _locked_protection(acting_user, protection, expected_version)
    _require_not_in_error(protection)
    writes.assign(protection, data, PROTECTION_FIELDS)
    _check_protection_links(protection, acting_user)
    writes.save(protection, acting_user=acting_user)
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=protection.person, obj=protection
    )
    return protection


@transaction.atomic
def legal_protection_end(
    *, acting_user, protection: LegalProtection, ended_on: date, reason: str, expected_version
) -> LegalProtection:
    """The measure is lifted (mainlevée, not renewed, death…). A date after today is the end the
    judgement fixes: the measure stays current until then."""
    protection = _locked_protection(acting_user, protection, expected_version)
    _require_not_in_error(protection)
    if protection.ended_on is not None:
        raise ValidationError(_("La levée de cette mesure est déjà enregistrée."))
    reason = writes.required_reason(reason, _("Indiquez le motif de la levée (mainlevée, décès…)."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Indiquez la date de levée.")})
    protection.ended_on = ended_on
    writes.save(
        protection, acting_user=acting_user, reason=_("Levée : %(reason)s") % {"reason": reason}
    )
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=protection.person, obj=protection
    )
    return protection


@transaction.atomic
def legal_protection_mark_entered_in_error(
    *, acting_user, protection: LegalProtection, reason: str, expected_version
) -> LegalProtection:
    protection = _locked_protection(acting_user, protection, expected_version)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    _require_not_in_error(protection)
    protection.entered_in_error = True
    protection.entered_in_error_reason = reason
    writes.save(
        protection,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=protection.person, obj=protection
    )
    return protection


# --- Parental authority (minors) ---------------------------------------------------------------


AUTHORITY_PARTNER_KINDS = frozenset({PartnerKind.SOCIAL_SERVICE, PartnerKind.PROTECTION_SERVICE})


def _check_authority_links(authority: ParentalAuthority, acting_user) -> None:
    """The holder is a current member of this child's entourage, or a service (ASE, the
    département's or an association's) of the user's organisation; the decision is a document
    of this record."""
    contact = authority.holder_contact
    if contact is not None:
        if contact.person_id != authority.person_id:
            raise ValidationError(
                {"holder": _("Ce proche appartient à l'entourage d'une autre personne.")}
            )
        if not contact.is_active:
            raise ValidationError(
                {
                    "holder": _(
                        "Ce proche ne fait plus partie de l'entourage : choisissez un proche actuel."
                    )
                }
            )
    partner = authority.holder_partner
    if partner is not None and (
        partner.kind not in AUTHORITY_PARTNER_KINDS
        or not partner.is_active
        or partner.organisation_id not in organisation_ids(acting_user)
    ):
        raise ValidationError(
            {
                "holder": _(
                    "Choisissez un service actif de l'annuaire de votre organisme (aide sociale à "
                    "l'enfance, service social, mandataire)."
                )
            }
        )
    document = authority.decision_document
    if document is not None and (
        document.person_id != authority.person_id or document.entered_in_error
    ):
        raise ValidationError(
            {"decision_document": _("Ce document n'est pas un document valide de ce dossier.")}
        )


def _check_holders(authority: ParentalAuthority) -> None:
    """Never more than two holders exercising parental authority jointly; a sole exercise
    excludes any other holder exercising it; one line per holder. Checked against the lines
    in force (the person's row is locked by the caller: two concurrent additions are
    serialised)."""
    if authority.entered_in_error or (
        authority.ended_on is not None and authority.ended_on <= dates.today()
    ):
        return
    others = [
        row
        for row in ParentalAuthority.objects.filter(
            person_id=authority.person_id, entered_in_error=False
        )
        .exclude(pk=authority.pk)
        .select_related("holder_contact", "holder_partner", "person")
        if row.ended_on is None or row.ended_on > dates.today()
    ]
    same_holder = [
        row
        for row in others
        if (authority.holder_contact_id and row.holder_contact_id == authority.holder_contact_id)
        or (authority.holder_partner_id and row.holder_partner_id == authority.holder_partner_id)
    ]
    if same_holder:
        raise ValidationError(
            {
                "holder": _(
                    "%(name)s figure déjà dans l'autorité parentale de l'enfant : modifiez sa "
                    "ligne plutôt que d'en ajouter une."
                )
                % {"name": same_holder[0].holder_name}
            }
        )
    if not authority.exercises:
        return
    exercising = [row for row in others if row.exercises]
    sole = [row for row in exercising if row.exercise == AuthorityExercise.SOLE]
    if sole:
        raise ValidationError(
            {
                "holder": _(
                    "%(name)s exerce seul(e) l'autorité parentale : personne d'autre ne l'exerce "
                    "en même temps. Enregistrez d'abord la fin de sa ligne (nouvelle décision)."
                )
                % {"name": sole[0].holder_name}
            }
        )
    if authority.exercise == AuthorityExercise.SOLE and exercising:
        raise ValidationError(
            {
                "exercise": _(
                    "%(names)s exerce(nt) déjà l'autorité parentale : un exercice exclusif exclut "
                    "tout autre titulaire. Enregistrez d'abord la fin de leur ligne."
                )
                % {"names": _(" et ").join(row.holder_name for row in exercising)}
            }
        )
    if len(exercising) >= MAX_JOINT_HOLDERS:
        raise ValidationError(
            {
                "holder": _(
                    "L'autorité parentale s'exerce en commun à deux au plus : %(names)s "
                    "l'exercent déjà. Enregistrez d'abord la fin de l'une de ces lignes "
                    "(décision de justice)."
                )
                % {"names": _(" et ").join(row.holder_name for row in exercising)}
            }
        )


def _lock_person(person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def parental_authority_create(*, acting_user, person, data: dict) -> ParentalAuthority:
    """Record a holder of the minor's parental authority (or the service to whom the child is
    confié), with its exercise and the decision it rests on."""
    writes.require_write(acting_user, person, ADMINISTRATIVE)
    _lock_person(person)
    authority = ParentalAuthority(person=person)
    writes.assign(authority, data, AUTHORITY_FIELDS)
    _check_authority_links(authority, acting_user)
    authority.full_clean()
    _check_holders(authority)
    return writes.create(authority, acting_user=acting_user, person=person)


def _locked_authority(acting_user, authority: ParentalAuthority, expected_version):
    writes.require_write(acting_user, authority.person, ADMINISTRATIVE)
    _lock_person(authority.person)
    return writes.lock(authority, expected_version=expected_version, stale_message=STALE_AUTHORITY)


def _require_authority_not_in_error(authority: ParentalAuthority) -> None:
    if authority.entered_in_error:
        raise ValidationError(
            _("Cette ligne a été saisie par erreur : elle ne peut plus être modifiée."),
            code="authority_in_error",
        )


@transaction.atomic
def parental_authority_update(
    *, acting_user, authority: ParentalAuthority, data: dict, expected_version
) -> ParentalAuthority:
    authority = _locked_authority(acting_user, authority, expected_version)
    _require_authority_not_in_error(authority)
    writes.assign(authority, data, AUTHORITY_FIELDS)
    _check_authority_links(authority, acting_user)
    authority.full_clean()
    _check_holders(authority)
    writes.save(authority, acting_user=acting_user)
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=authority.person, obj=authority
    )
    return authority


@transaction.atomic
def parental_authority_end(
    *, acting_user, authority: ParentalAuthority, ended_on: date, reason: str, expected_version
) -> ParentalAuthority:
    """The holder no longer holds (or exercises) it: a new judgement, a withdrawal, the end of
    a placement. Majority ends it by itself (no need to record it)."""
    authority = _locked_authority(acting_user, authority, expected_version)
    _require_authority_not_in_error(authority)
    if authority.ended_on is not None:
        raise ValidationError(_("La fin de cette ligne est déjà enregistrée."))
    reason = writes.required_reason(reason, _("Indiquez le motif (jugement, fin du placement…)."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Indiquez la date.")})
    if ended_on > dates.today():
        raise ValidationError({"ended_on": _("La date ne peut être dans le futur.")})
    authority.ended_on = ended_on
    writes.save(
        authority, acting_user=acting_user, reason=_("Fin : %(reason)s") % {"reason": reason}
    )
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=authority.person, obj=authority
    )
    return authority


@transaction.atomic
def parental_authority_mark_entered_in_error(
    *, acting_user, authority: ParentalAuthority, reason: str, expected_version
) -> ParentalAuthority:
    authority = _locked_authority(acting_user, authority, expected_version)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    _require_authority_not_in_error(authority)
    authority.entered_in_error = True
    authority.entered_in_error_reason = reason
    writes.save(
        authority,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=authority.person, obj=authority
    )
    return authority


def authority_holder_choices(*, person, organisation_ids_: set[int]) -> dict:
    """Who may hold a minor's parental authority: a current member of the entourage, or a
    service of the user's organisations (ASE, service social, association)."""
    return {
        "contacts": list(
            Contact.objects.filter(person=person)
            .current()
            .only("public_id", "last_name", "first_name", "relationship", "person_id")
            .order_by("last_name", "first_name", "pk")
        ),
        "partners": [
            partner
            for kind in sorted(AUTHORITY_PARTNER_KINDS)
            for partner in partners_of(
                organisation_ids=organisation_ids_, kind=kind, active_only=True
            ).only("public_id", "name", "organisation_id", "kind")
        ],
    }


# --- Alerts -----------------------------------------------------------------------------------


@transaction.atomic
def alert_create(*, acting_user, person, data: dict) -> PersonAlert:
    """A short alert of the record header, in one category: only professions reading that
    category see it, only those writing it may set it."""
    category = data.get("category")
    if category not in InformationCategory.values:
        raise ValidationError({"category": _("Choisissez la partie du dossier de l'alerte.")})
    writes.require_write(acting_user, person, category)
    alert = PersonAlert(person=person)
    writes.assign(alert, data, ALERT_FIELDS)
    return writes.create(alert, acting_user=acting_user, person=person)


@transaction.atomic
def alert_end(
    *,
    acting_user,
    alert: PersonAlert,
    expected_version,
    ended_on: date | None = None,
    reason: str = "",
) -> PersonAlert:
    writes.require_write(acting_user, alert.person, alert.category)
    alert = writes.lock(alert, expected_version=expected_version, stale_message=STALE_ALERT)
    if alert.entered_in_error or alert.ended_on is not None:
        raise ValidationError(_("Cette alerte n'est plus en cours."))
    today = dates.today()
    ended_on = ended_on or today
    if ended_on > today:
        raise ValidationError({"ended_on": _("La date ne peut être dans le futur.")})
    alert.ended_on = ended_on
    reason = (reason or "").strip()
    writes.save(
        alert,
        acting_user=acting_user,
        reason=(_("Levée : %(reason)s") % {"reason": reason}) if reason else "",
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
    authorities = list(
        ParentalAuthority.objects.filter(person=person)
        .select_related("holder_contact", "holder_partner", "decision_document", "person")
        .order_by("started_on", "pk")
    )
    current_authorities = [a for a in authorities if a.is_current]
    by_contact: dict[int, list] = {}
    for authority in current_authorities:
        if authority.holder_contact_id:
            by_contact.setdefault(authority.holder_contact_id, []).append(authority)
    for contact in contacts:
        contact._current_authorities = by_contact.get(contact.pk, [])
    return {
        "contacts": [c for c in contacts if c.is_active],
        "former_contacts": [c for c in contacts if not c.is_active],
        "protections": [p for p in protections if p.is_current],
        "upcoming_protections": [p for p in protections if p.is_upcoming],
        "former_protections": [p for p in protections if not (p.is_current or p.is_upcoming)],
        "parental_authorities": current_authorities,
        "former_parental_authorities": [a for a in authorities if not a.is_current],
        "signing": who_signs(person, Act.CONTRACT),
        # CASF L311-5-1: offered to adults only (not offered while majority is uncertain).
        "trusted_person_offered": person.majority_on() == Majority.ADULT,
    }


def representative_choices(*, person, organisation_ids_: set[int]) -> dict:
    """Who may exercise a measure: a current member of the entourage, or a mandataire
    judiciaire (partner of kind *protection*) of the user's organisations."""
    return {
        "contacts": list(
            Contact.objects.filter(person=person)
            .current()
            .only("public_id", "last_name", "first_name", "relationship", "person_id")
            .order_by("last_name", "first_name", "pk")
        ),
        "partners": list(
            partners_of(
                organisation_ids=organisation_ids_,
                kind=PartnerKind.PROTECTION_SERVICE,
                active_only=True,
            ).only("public_id", "name", "organisation_id", "kind")
        ),
    }


def current_trusted_person(*, person) -> Contact | None:
    """Who is the person's trusted person now (None if nobody is designated)."""
    return Contact.objects.trusted_person_of(person).first()


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
