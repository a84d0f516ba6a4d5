"""Writes on a person's identity: creation with duplicate check, RNIV status transitions, INS,
strict-trait corrections, merge of two records.

RNIV statuses follow from two independent facts (FR Core fr-core-cs-identity-status):
    INS retrieved from INSi?  high-trust document checked?  →  status
    no                        no                             →  PROV (provisoire)
    yes                       no                             →  RECUP (récupérée)
    no                        yes                            →  VALI (validée)
    yes                       yes                            →  QUAL (qualifiée)
`_status_for` is the one place that says so; every transition goes through it.
"""

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory, MembershipReason
from dui.access.policy import management_establishment_ids, may_write_in, organisation_ids
from dui.access.services import care_team_join, care_team_reassign
from dui.core import dates
from dui.organisation.models import EstablishmentCategory

from . import nir, rniv
from .duplicates import probable_duplicates
from .majority import Majority
from .models import (
    STRICT_TRAITS,
    AdministrativeFile,
    Contact,
    EvidenceKind,
    IdentityEvidence,
    IdentityStatus,
    InsOid,
    LegalProtection,
    ParentalAuthority,
    Person,
    PersonAlert,
    SocialAid,
)

IDENTITY_FIELDS = (
    *STRICT_TRAITS,
    "used_name",
    "used_first_name",
    "photo_consent",
    "photo_consent_on",
)


class ProbableDuplicates(ValidationError):
    """Creation stopped: persons with the same birth date and a similar name already exist."""

    def __init__(self, matches):
        self.matches = matches
        super().__init__(
            _(
                "Une ou plusieurs personnes enregistrées ressemblent à celle-ci. Vérifiez qu'il ne "
                "s'agit pas de la même personne ; sinon confirmez la création en indiquant pourquoi."
            ),
            code="probable_duplicate",
        )


def _status_for(*, has_ins: bool, document_checked: bool) -> str:
    if has_ins:
        return IdentityStatus.QUALIFIED if document_checked else IdentityStatus.RETRIEVED
    return IdentityStatus.VALIDATED if document_checked else IdentityStatus.PROVISIONAL


def _document_checked(status: str) -> bool:
    return status in (IdentityStatus.VALIDATED, IdentityStatus.QUALIFIED)


ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
IDENTITY_NOT_WRITTEN = _("Vous ne pouvez pas modifier l'identité de cette personne.")
STALE_IDENTITY = _(
    "Cette identité a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page pour voir la version actuelle."
)
NOT_OPENED_HERE = _("Votre profession ne peut pas ouvrir de dossier dans cet établissement.")
MERGE_REFUSED = _(
    "Seule la direction d'un établissement qui suit les deux personnes peut fusionner leurs "
    "dossiers."
)


def _locked_identity(acting_user, person: Person, expected_version) -> Person:
    writes.require_write(acting_user, person, ADMINISTRATIVE, IDENTITY_NOT_WRITTEN)
    return writes.lock(person, expected_version=expected_version, stale_message=STALE_IDENTITY)


def _save_identity(person: Person, acting_user, *, reason: str = "") -> None:
    """Save an identity change (next version, who, why), its search name kept in step."""
    person.refresh_search_name()
    writes.save(person, acting_user=acting_user, reason=reason)


def organisation_persons(user):
    """Persons followed, now or before, by one of the user's organisations: where duplicates are
    looked for (an identity domain is the organisation, not one unit)."""
    return Person.objects.filter(
        care_team_memberships__establishment__organisation_id__in=organisation_ids(user)
    ).distinct()


def may_create_person(user, establishment) -> bool:
    return establishment is not None and may_write_in(
        user, establishment.pk, InformationCategory.ADMINISTRATIVE
    )


@transaction.atomic
def person_create(
    *, acting_user, establishment, data: dict, duplicate_reason: str = "", unit=None
) -> Person:
    """Open the record of a new person in the acting user's establishment, followed by the
    whole establishment's staff or by one of its units.

    Stops with `ProbableDuplicates` when similar persons exist, unless the user confirmed that
    this is a new person and said why (kept in the record's history and the journal)."""
    if not may_create_person(acting_user, establishment):
        raise AccessDenied(NOT_OPENED_HERE)
    if unit is not None and unit.establishment_id != establishment.pk:
        raise ValidationError({"unit": _("Cette unité appartient à un autre établissement.")})
    person = Person(**{k: v for k, v in data.items() if k in IDENTITY_FIELDS})
    person.identity_status = IdentityStatus.PROVISIONAL
    person.refresh_search_name()
    person.full_clean()
    matches = probable_duplicates(
        candidates=organisation_persons(acting_user),
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        birth_name=person.birth_name,
        used_name=person.used_name,
        first_names=person.first_names,
        first_birth_first_name=person.first_birth_first_name,
    )
    reason = (duplicate_reason or "").strip()
    if matches and not reason:
        raise ProbableDuplicates(matches)
    writes.save(
        person,
        acting_user=acting_user,
        created=True,
        reason=_("Créée malgré %(n)s doublon(s) probable(s) : %(reason)s")
        % {"n": len(matches), "reason": reason}
        if matches
        else "",
    )
    care_team_join(
        acting_user=acting_user,
        person=person,
        establishment=establishment,
        unit=unit,
        reason=MembershipReason.REGISTRATION,
        source=f"people.Person:{person.public_id}",
    )
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=person)
    return person


@transaction.atomic
def identity_update(
    *, acting_user, person: Person, data: dict, expected_version, reason: str = ""
) -> Person:
    """Change identity traits. Once the identity is validated, retrieved or qualified, a strict
    trait changes only with a reason, and the identity goes back to *provisoire*: its document
    check and its INS no longer vouch for the new traits (RNIV). The INS is cleared (the history
    keeps it) and must be retrieved again."""
    person = _locked_identity(acting_user, person, expected_version)
    changed_strict = person.changed_strict_traits(data)
    for field in IDENTITY_FIELDS:
        if field not in data:
            continue
        if field in STRICT_TRAITS and field not in changed_strict and person.strict_traits_locked:
            # The same trait written otherwise (« Martin » / « MARTIN »): the checked one stays.
            continue
        setattr(person, field, data[field])
    reason = (reason or "").strip()
    previous_status = person.identity_status
    if changed_strict and person.strict_traits_locked:
        if not reason:
            raise ValidationError(
                {
                    "reason": _(
                        "Cette identité est « %(status)s » : modifier un trait strict (%(fields)s) "
                        "la fait repasser en identité provisoire. Indiquez le motif de la correction."
                    )
                    % {
                        "status": person.get_identity_status_display().lower(),
                        "fields": ", ".join(
                            str(Person._meta.get_field(f).verbose_name) for f in changed_strict
                        ),
                    }
                }
            )
        person.identity_status = IdentityStatus.PROVISIONAL
        person.ins_number = ""
        person.ins_oid = ""
        person.ins_retrieved_at = None
        person.ins_retrieved_by = None
        reason = _(
            "Traits stricts corrigés (%(fields)s), identité %(old)s → provisoire : %(reason)s"
        ) % {
            "fields": ", ".join(changed_strict),
            "old": IdentityStatus(previous_status).label.lower(),
            "reason": reason,
        }
    _save_identity(person, acting_user, reason=reason)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=person)
    return person


@transaction.atomic
def identity_evidence_record(
    *,
    acting_user,
    person: Person,
    kind: str,
    checked_on: date,
    traits_match: bool,
    expected_version,
    expires_on: date | None = None,
    document=None,
    guarantor: ParentalAuthority | None = None,
    guarantor_document_kind: str = "",
    direct_ehpad_admission: bool = False,
    establishment=None,
) -> IdentityEvidence:
    """Record an identity document shown by the person, checked against the record's traits.

    A document that validates (`rniv.py`: a high-trust document, or one of the RNIV 2024
    §3.3.3 exceptions with what it requires — a parent's document for a minor's birth
    certificate, a direct admission in EHPAD for a family book with the carte Vitale) moves the
    identity to validated (PROV → VALI, RECUP → QUAL); a combination the RNIV does not accept
    is refused with its reason, nothing saved; « other » is only recorded. `establishment`:
    the one the professional acts for (the EHPAD exception). `expected_version`: the identity
    the traits were compared with — a check made against traits someone has changed since
    vouches for nothing."""
    person = _locked_identity(acting_user, person, expected_version)
    if not traits_match:
        raise ValidationError(
            {
                "traits_match": _(
                    "Les traits du document doivent correspondre exactement à ceux du dossier : "
                    "corrigez d'abord l'identité, puis enregistrez le contrôle."
                )
            }
        )
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choisissez le document présenté dans la liste.")})
    if checked_on > dates.today():
        raise ValidationError({"checked_on": _("La date du contrôle ne peut être dans le futur.")})
    if expires_on and expires_on < checked_on and kind in rniv.DATED:
        raise ValidationError(
            {
                "expires_on": _(
                    "Ce document était expiré à la date du contrôle : il ne peut valider l'identité."
                )
            }
        )
    if document is not None and document.person_id != person.pk:
        raise ValidationError(
            {"document": _("Ce document appartient au dossier d'une autre personne.")}
        )
    if guarantor is not None and guarantor.person_id != person.pk:
        raise ValidationError(
            {"guarantor": _("Cette personne ne figure pas dans l'autorité parentale de l'enfant.")}
        )
    uses_guarantor = kind in rniv.MINOR_WITH_GUARANTOR
    refusal = rniv.refusal(
        rniv.EvidenceFacts(
            kind=kind,
            minor=person.majority_on(checked_on) == Majority.MINOR,
            guarantor=rniv.Guarantor(
                role=guarantor.role,
                has_decision=guarantor.has_decision,
                is_current=guarantor.is_current_on(checked_on),
            )
            if guarantor is not None
            else None,
            guarantor_document_kind=guarantor_document_kind or "",
            in_ehpad=getattr(establishment, "category", None) == EstablishmentCategory.EHPAD,
            direct_ehpad_admission=direct_ehpad_admission,
        )
    )
    if refusal:
        raise ValidationError(refusal, code="rniv_refused")
    evidence = IdentityEvidence(
        person=person,
        kind=kind,
        checked_on=checked_on,
        expires_on=expires_on,
        checked_by=acting_user,
        document=document,
        guarantor=guarantor if uses_guarantor else None,
        guarantor_document_kind=(guarantor_document_kind or "") if uses_guarantor else "",
        direct_ehpad_admission=bool(direct_ehpad_admission) and kind in rniv.DIRECT_EHPAD_ADMISSION,
    )
    writes.create(evidence, acting_user=acting_user, person=person)
    if evidence.validates and not _document_checked(person.identity_status):
        old = person.get_identity_status_display()
        person.identity_status = _status_for(has_ins=bool(person.ins_number), document_checked=True)
        _save_identity(
            person,
            acting_user,
            reason=_("%(old)s → %(new)s : %(kind)s contrôlé(e)")
            % {
                "old": old,
                "new": person.get_identity_status_display(),
                "kind": evidence.get_kind_display(),
            },
        )
        journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=person)
    return evidence


@transaction.atomic
def ins_record(
    *,
    acting_user,
    person: Person,
    ins_number: str,
    ins_oid: str,
    retrieved_at,
    traits_match: bool,
    expected_version,
) -> Person:
    """Record the INS returned by the INSi teleservice (read from its answer, or by
    `IdentityService.fetch_ins` once connected), after comparing its traits with the record's.
    PROV → RECUP, VALI → QUAL."""
    person = _locked_identity(acting_user, person, expected_version)
    if not traits_match:
        raise ValidationError(
            {
                "traits_match": _(
                    "L'INS ne peut être enregistré que si les traits renvoyés par INSi sont ceux "
                    "du dossier : sinon, vérifiez l'identité avec la personne."
                )
            }
        )
    if person.ins_number and nir.compact(ins_number) != person.ins_number:
        raise ValidationError(
            {
                "ins_number": _(
                    "Un autre INS est déjà enregistré pour cette personne. S'il est erroné, "
                    "corrigez d'abord l'identité (motif tracé) : l'INS sera retiré et l'identité "
                    "repassera en provisoire."
                )
            }
        )
    incoherent = nir_incoherences(ins_number, person)
    if incoherent:
        raise ValidationError(
            {
                "ins_number": _(
                    "Ce matricule ne correspond pas à l'identité du dossier : %(what)s."
                )
                % {"what": ", ".join(incoherent)}
            }
        )
    if ins_oid not in InsOid.values:
        raise ValidationError({"ins_oid": _("Choisissez le type d'INS (NIR ou NIA).")})
    if retrieved_at and retrieved_at > dates.now():
        raise ValidationError(
            {"retrieved_at": _("La date d'interrogation ne peut être dans le futur.")}
        )
    person.ins_number = nir.compact(ins_number)
    person.ins_oid = ins_oid
    person.ins_retrieved_at = retrieved_at or dates.now()
    person.ins_retrieved_by = acting_user
    old = person.get_identity_status_display()
    person.identity_status = _status_for(
        has_ins=True, document_checked=_document_checked(person.identity_status)
    )
    if (
        Person.objects.filter(ins_number=person.ins_number, merged_into__isnull=True)
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "ins_number": _(
                    "Ce matricule INS est déjà celui d'une autre personne : il s'agit sans doute "
                    "d'un doublon, à fusionner plutôt qu'à ressaisir."
                )
            }
        )
    _save_identity(
        person,
        acting_user,
        reason=_("%(old)s → %(new)s : INS enregistré")
        % {"old": old, "new": person.get_identity_status_display()},
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=person)
    return person


def nir_incoherences(value: str, person: Person) -> list[str]:
    """Traits the NIR encodes that contradict the record: sex (1st digit: 1/3/7 men, 2/4/8
    women), year and month of birth (digits 2–5). Months 20–42 and 50+ are used by INSEE for
    unknown or special months: they are not compared."""
    number = nir.compact(value)
    if len(number) != 15 or not number[:5].isdigit():
        return []
    problems = []
    sex_digit = number[0]
    if (person.sex == "M" and sex_digit in "248") or (person.sex == "F" and sex_digit in "137"):
        problems.append(str(_("le sexe")))
    if int(number[1:3]) != person.birth_date.year % 100:
        problems.append(str(_("l'année de naissance")))
    month = int(number[3:5])
    if (
        1 <= month <= 12
        and person.birth_date_precision != "year"
        and month != person.birth_date.month
    ):
        problems.append(str(_("le mois de naissance")))
    return problems


class InsServiceNotConnected(Exception):
    """The INSi teleservice is not connected on this installation."""


class IdentityService:
    """Seam for the INSi teleservice (Assurance maladie). The real client (SOAP, CPS/CPx or
    establishment certificate) belongs in dui/interop/ and replaces this class through
    settings.DUI_IDENTITY_SERVICE; until then users record the INS read from INSi by hand."""

    connected = False

    def fetch_ins(self, *, person: Person):
        raise InsServiceNotConnected(
            _(
                "Le téléservice INSi n'est pas raccordé à cette installation : interrogez-le depuis "
                "votre logiciel habituel puis saisissez ici le matricule INS et la date."
            )
        )


def identity_service() -> IdentityService:
    path = getattr(settings, "DUI_IDENTITY_SERVICE", "dui.people.services.IdentityService")
    return import_string(path)()


# Bricks holding rows about a person register how to move them to the kept record on merge
# (called inside the merge transaction with keyword arguments kept, merged, acting_user).
_merge_handlers: list[Callable] = []


def register_merge_handler(handler: Callable) -> None:
    if handler not in _merge_handlers:
        _merge_handlers.append(handler)


def move_rows_on_merge(model, *, kept: Person, merged: Person, acting_user) -> None:
    """Give the merged record's rows of `model` (a `person` foreign key) to the kept record,
    one save each so that their history tells the move and who made it."""
    for row in model.objects.filter(person=merged):
        row.person = kept
        row._history_user = acting_user
        row._change_reason = _("Fusion du dossier %(id)s") % {"id": merged.public_id}
        row.save(update_fields=["person", "updated_at"])


def register_merged_model(model) -> None:
    """A brick whose rows about a person simply follow the kept record on a merge."""

    def handler(*, kept, merged, acting_user):
        move_rows_on_merge(model, kept=kept, merged=merged, acting_user=acting_user)

    handler.model = model
    if not any(getattr(h, "model", None) is model for h in _merge_handlers):
        _merge_handlers.append(handler)


def may_merge(user, kept: Person, merged: Person) -> bool:
    """Management of an establishment that follows both persons (RNIV: merges are an
    identity-vigilance act, not a daily one)."""
    managed = set(management_establishment_ids(user))
    if not managed:
        return False
    for p in (kept, merged):
        establishments = set(p.care_team_memberships.values_list("establishment_id", flat=True))
        if not establishments & managed:
            return False
    return True


def _one_trusted_person(*, kept: Person, merged: Person, acting_user) -> None:
    """Both records name a trusted person: the latest designation stands, as a new designation
    replaces the previous one (CASF L311-5-1); the other stays in the entourage."""
    ours = Contact.objects.select_for_update().trusted_person_of(kept).first()
    theirs = Contact.objects.select_for_update().trusted_person_of(merged).first()
    if not (ours and theirs):
        return
    older = min(ours, theirs, key=lambda c: (c.trusted_person_designated_on, c.pk))
    older.is_trusted_person = False
    writes.save(
        older,
        acting_user=acting_user,
        reason=_(
            "Fusion des dossiers : la désignation la plus récente de personne de confiance est "
            "retenue"
        ),
    )


def _move_people_rows(*, kept: Person, merged: Person, acting_user) -> None:
    _one_trusted_person(kept=kept, merged=merged, acting_user=acting_user)
    for model in (
        Contact,
        LegalProtection,
        ParentalAuthority,
        IdentityEvidence,
        PersonAlert,
        SocialAid,
    ):
        move_rows_on_merge(model, kept=kept, merged=merged, acting_user=acting_user)
    # One administrative file per person: the merged one moves only if the kept has none.
    file = AdministrativeFile.objects.filter(person=merged).first()
    if file and not AdministrativeFile.objects.filter(person=kept).exists():
        file.person = kept
        file._history_user = acting_user
        file._change_reason = _("Fusion du dossier %(id)s") % {"id": merged.public_id}
        file.save(update_fields=["person", "updated_at"])


register_merge_handler(_move_people_rows)


@transaction.atomic
def person_merge(
    *, acting_user, kept: Person, merged: Person, reason: str, expected_version
) -> Person:
    """Merge `merged` into `kept`: its entries move to the kept record, both histories stay (the
    merged record keeps its traits and history and points to the kept one), and the journal
    keeps every past access under the original record. `expected_version`: the kept record's,
    as the page compared it with the duplicate."""
    if kept.pk == merged.pk:
        raise ValidationError(_("Choisissez deux dossiers différents."))
    reason = writes.required_reason(reason, _("Indiquez le motif de la fusion."))
    writes.require_write(acting_user, kept, ADMINISTRATIVE, IDENTITY_NOT_WRITTEN)
    writes.require_write(acting_user, merged, ADMINISTRATIVE, IDENTITY_NOT_WRITTEN)
    if not may_merge(acting_user, kept, merged):
        raise AccessDenied(MERGE_REFUSED, person=kept)
    kept = writes.lock(kept, expected_version=expected_version, stale_message=STALE_IDENTITY)
    # The duplicate is chosen from a list that shows its name and birth date, not read in a
    # form: locked as it is now, without a version to compare.
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.is_merged or merged.is_merged:
        raise ValidationError(_("L'un de ces dossiers a déjà été fusionné."))
    if kept.ins_number and merged.ins_number and kept.ins_number != merged.ins_number:
        raise ValidationError(
            _(
                "Ces deux dossiers portent des matricules INS différents : ce sont deux personnes "
                "distinctes pour l'Assurance maladie. Fusion refusée."
            )
        )
    for handler in _merge_handlers:
        handler(kept=kept, merged=merged, acting_user=acting_user)
    care_team_reassign(acting_user=acting_user, from_person=merged, to_person=kept)
    same_traits = not kept.changed_strict_traits({f: merged.strict_trait(f) for f in STRICT_TRAITS})
    # The INS was checked against the merged record's traits: it vouches for the kept record
    # only if those traits are the same; otherwise INSi must be asked again for the kept one.
    if merged.ins_number and not kept.ins_number and same_traits:
        kept.ins_number, kept.ins_oid = merged.ins_number, merged.ins_oid
        kept.ins_retrieved_at, kept.ins_retrieved_by = (
            merged.ins_retrieved_at,
            merged.ins_retrieved_by,
        )
        kept.identity_status = _status_for(
            has_ins=True, document_checked=_document_checked(kept.identity_status)
        )
    merged.merged_into = kept
    merged.merged_at = dates.now()
    _save_identity(
        merged,
        acting_user,
        reason=_("Fusionné dans %(id)s : %(reason)s") % {"id": kept.public_id, "reason": reason},
    )
    _save_identity(
        kept,
        acting_user,
        reason=_("A reçu le dossier %(id)s : %(reason)s")
        % {"id": merged.public_id, "reason": reason},
    )
    journal.record(
        user=acting_user,
        action=AccessAction.UPDATE,
        person=merged,
        obj=merged,
        object_type="people.merge",
    )
    journal.record(
        user=acting_user,
        action=AccessAction.UPDATE,
        person=kept,
        obj=kept,
        object_type="people.merge",
    )
    return kept
