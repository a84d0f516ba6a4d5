"""Writes of falls and wounds (issue 13, item 7). One transaction per use case; each checks the
care write right, validates (`full_clean`, named constraints), journals in the same
transaction (dui.access.writes). Corrections: a new version (the history keeps the former
ones) or *entered in error* with a reason — never a delete (DESIGN §4.4).

Declaring a fall runs the repeated-falls rule (`rules.is_repeated_fall`, HAS/SFGG 2009 « au
moins deux chutes sur douze mois ») and raises the care alert `repeated_falls` through the
observations part (`alerts.raise_alert`), in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.core import dates
from dui.documents import filetypes
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload

from ..observations.alerts import raise_alert
from ..observations.models import AlertKind
from ..plan.models import CarePlanLine
from . import rules
from .models import ALERTED, Fall, Wound, WoundAssessment, WoundCareLink, WoundPhoto

CARE = InformationCategory.CARE
NOT_WRITTEN = _(
    "Votre profession ne peut pas saisir les soins de cette personne, "
    "ou l'accompagnement de cette personne est terminé."
)
STALE = _(
    "Cette saisie a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
NO_PHOTO_CONSENT = _(
    "La personne n'a pas consenti à être photographiée : la photo n'est pas enregistrée. "
    "Recueillez son consentement dans l'identité avant de photographier la plaie."
)
HEALED = _("Cette plaie est cicatrisée : rouvrez-en une nouvelle si elle réapparaît.")

FALL_FIELDS = (
    "occurred_at",
    "place",
    "place_detail",
    "circumstances",
    "witnessed",
    "minutes_on_floor",
    "got_up_alone",
    "consequences",
    "consequences_detail",
    *(field for field, _label in ALERTED),
    "follow_up",
)
WOUND_FIELDS = ("kind", "body_site", "body_site_detail", "acquired_here", "opened_on", "note")
ASSESSMENT_FIELDS = (
    "assessed_at",
    "stage",
    "length_mm",
    "width_mm",
    "depth_mm",
    "tissue",
    "exudate",
    "pain",
    "notes",
)


def _establishment(access):
    return access.acting_assignment.establishment


# --- Falls ------------------------------------------------------------------------------------


def _lock_person(person) -> None:
    # Two falls of the same person declared at the same moment are serialised, so the second
    # one always sees the first (and the repeated-falls alert is never missed).
    type(person).objects.select_for_update().only("pk").get(pk=person.pk)


def repeated_falls_rule(fall: Fall):
    """HAS/SFGG 2009, « chutes répétées : au moins deux chutes sur douze mois »: another fall
    of the person, not entered in error, in the twelve calendar months before this one (or
    after it, for a fall declared late) raises the alert `repeated_falls`. Returns the alert
    or None."""
    establishment = fall.establishment
    day = dates.date_of(fall.occurred_at, establishment)
    since = dates.start_of_day(rules.months_before(day, rules.REPEATED_FALLS_MONTHS), establishment)
    others = [
        dates.date_of(moment, establishment)
        for moment in Fall.objects.filter(
            person=fall.person, entered_in_error=False, occurred_at__gte=since
        )
        .exclude(pk=fall.pk)
        .values_list("occurred_at", flat=True)
    ]
    if not rules.is_repeated_fall(day, others):
        return None
    count = 1 + len(rules.falls_in_window(day, others))
    return raise_alert(
        person=fall.person,
        kind=AlertKind.REPEATED_FALLS,
        source=fall,
        establishment=establishment,
        detail=_(
            "%(n)s chutes en 12 mois (dernière le %(day)s) : chutes répétées (HAS/SFGG 2009). "
            "Évaluer le risque de chute (« chutes_has », TUG, Tinetti)."
        )
        % {"n": count, "day": day.strftime("%d/%m/%Y")},
    )


@transaction.atomic
def fall_declare(*, acting_user, person, data: dict) -> Fall:
    """Declare a fall; a second fall in twelve months raises the repeated-falls alert."""
    access = writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    _lock_person(person)
    fall = Fall(person=person, establishment=_establishment(access))
    writes.assign(fall, data, FALL_FIELDS)
    writes.create(fall, acting_user=acting_user, person=person)
    fall.alert = repeated_falls_rule(fall)
    return fall


@transaction.atomic
def fall_amend(*, acting_user, fall: Fall, data: dict, expected_version, reason: str = "") -> Fall:
    """A new version of the declaration (the former one stays in the history). A changed date
    runs the repeated-falls rule again."""
    writes.require_write(acting_user, fall.person, CARE, NOT_WRITTEN)
    if fall.entered_in_error:
        raise ValidationError(_("Cette chute est marquée comme saisie par erreur."))
    _lock_person(fall.person)
    fall = writes.update(
        fall,
        acting_user=acting_user,
        person=fall.person,
        category=None,
        data=data,
        fields=FALL_FIELDS,
        expected_version=expected_version,
        stale_message=STALE,
        reason=(reason or "").strip() or _("Déclaration complétée"),
        action=AccessAction.AMEND,
    )
    fall.alert = repeated_falls_rule(fall)
    return fall


@transaction.atomic
def fall_follow_up(*, acting_user, fall: Fall, follow_up: str, expected_version) -> Fall:
    """The follow-up completed (a new version of the text: each one dated and signed in the
    history)."""
    if not (follow_up or "").strip():
        raise ValidationError({"follow_up": _("Écrivez le suivi.")})
    return writes.update(
        fall,
        acting_user=acting_user,
        person=fall.person,
        category=CARE,
        data={"follow_up": follow_up},
        fields=("follow_up",),
        expected_version=expected_version,
        stale_message=STALE,
        reason=_("Suivi"),
        action=AccessAction.AMEND,
    )


def _mark_in_error(entry, *, acting_user, person, reason: str, expected_version):
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    entry = writes.lock(entry, expected_version=expected_version, stale_message=STALE)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    if entry.entered_in_error:
        raise ValidationError(_("Cette saisie est déjà marquée comme saisie par erreur."))
    entry.entered_in_error = True
    entry.entered_in_error_reason = reason
    writes.save(
        entry,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=entry)
    return entry


@transaction.atomic
def fall_mark_entered_in_error(*, acting_user, fall: Fall, reason: str, expected_version) -> Fall:
    """A fall that never happened (wrong person, typed twice): kept, struck through, and no
    longer counted by the repeated-falls rule. An alert it raised stays until acknowledged:
    the team reads it and says what was done."""
    return _mark_in_error(
        fall,
        acting_user=acting_user,
        person=fall.person,
        reason=reason,
        expected_version=expected_version,
    )


# --- Wounds -----------------------------------------------------------------------------------


@transaction.atomic
def wound_open(*, acting_user, person, data: dict, lines=()) -> Wound:
    """A wound or pressure ulcer to follow, and the care-plan lines that treat it."""
    access = writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    wound = Wound(person=person, establishment=_establishment(access))
    writes.assign(wound, data, WOUND_FIELDS)
    writes.create(wound, acting_user=acting_user, person=person)
    _link(wound, lines, acting_user=acting_user)
    return wound


@transaction.atomic
def wound_heal(*, acting_user, wound: Wound, healed_on, expected_version) -> Wound:
    """The wound healed: it leaves « plaies en cours », its follow-up stays readable."""
    writes.require_write(acting_user, wound.person, CARE, NOT_WRITTEN)
    wound = writes.lock(wound, expected_version=expected_version, stale_message=STALE)
    if wound.healed_on:
        raise ValidationError(_("Cette plaie est déjà cicatrisée."))
    if not healed_on:
        raise ValidationError({"healed_on": _("Indiquez la date de cicatrisation.")})
    wound.healed_on = healed_on
    writes.save(wound, acting_user=acting_user, reason=_("Cicatrisée"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=wound.person, obj=wound)
    return wound


@transaction.atomic
def wound_mark_entered_in_error(*, acting_user, wound: Wound, reason: str, expected_version):
    return _mark_in_error(
        wound,
        acting_user=acting_user,
        person=wound.person,
        reason=reason,
        expected_version=expected_version,
    )


def _no_regression(assessment: WoundAssessment) -> None:
    """NPUAP/EPUAP: the category of a pressure ulcer does not go backwards (rules.py)."""
    former = (
        WoundAssessment.objects.filter(wound=assessment.wound, entered_in_error=False)
        .exclude(pk=assessment.pk)
        .values_list("stage", flat=True)
    )
    highest = rules.stage_regresses(assessment.stage, former)
    if highest:
        raise ValidationError(
            {
                "stage": _(
                    "Une escarre ne régresse pas de catégorie (NPUAP/EPUAP) : classée catégorie "
                    "%(highest)s, elle reste « catégorie %(highest)s en cours de "
                    "cicatrisation »."
                )
                % {"highest": highest}
            }
        )


@transaction.atomic
def wound_assess(*, acting_user, wound: Wound, data: dict, photos=()) -> WoundAssessment:
    """A dated assessment of the wound, with its photos (only with the person's photo consent;
    each file must be an image: the documents brick checks its bytes and its size)."""
    person = wound.person
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    wound = Wound.objects.select_for_update().select_related("establishment").get(pk=wound.pk)
    if wound.entered_in_error:
        raise ValidationError(_("Cette plaie est marquée comme saisie par erreur."))
    if wound.healed_on:
        raise ValidationError(HEALED)
    photos = [p for p in photos if p]
    if photos and not person.photo_consent:
        # Checked before anything is written (issue 13: « a photo without consent »).
        raise ValidationError({"photo": NO_PHOTO_CONSENT}, code="no_photo_consent")
    assessment = WoundAssessment(wound=wound)
    writes.assign(assessment, data, ASSESSMENT_FIELDS)
    if not assessment.assessed_at:
        assessment.assessed_at = dates.now()
    assessment.full_clean()  # the field errors first, then the rule across assessments
    if assessment.stage:
        _no_regression(assessment)
    writes.create(assessment, acting_user=acting_user, person=person)
    for upload in photos:
        _attach_photo(assessment, upload, acting_user=acting_user)
    return assessment


NOT_AN_IMAGE = _(
    "Le fichier « %(name)s » n'est pas une photo (JPEG, PNG, TIFF) : rien n'est enregistré."
)
IMAGE_TYPES = (filetypes.JPEG, filetypes.PNG, filetypes.TIFF)


def _attach_photo(assessment: WoundAssessment, upload, *, acting_user) -> WoundPhoto:
    """The photo as a document of the care category. Its kind is « autre document »: the
    documents brick's « photo » kind is the person's portrait (administrative, shown in the
    header), not a clinical photo. So this part checks what the documents brick checks for a
    portrait: the consent (before, in `wound_assess`) and that the bytes are an image."""
    wound = assessment.wound
    upload.seek(0)
    mime = filetypes.detect_type(upload.read(filetypes.HEAD_BYTES))
    upload.seek(0)
    if mime not in IMAGE_TYPES:
        raise ValidationError({"photo": NOT_AN_IMAGE % {"name": upload.name}})
    try:
        document = document_upload(
            acting_user=acting_user,
            person=wound.person,
            kind=DocumentKind.OTHER,
            title=_("Photo de plaie — %(site)s") % {"site": wound.site_label},
            document_date=dates.date_of(assessment.assessed_at, wound.establishment),
            category=CARE,
            uploaded_file=upload,
        )
    except ValidationError as error:
        # The file's messages belong next to the photo field of this form.
        messages = error.message_dict if hasattr(error, "error_dict") else {}
        raise ValidationError(
            {"photo": messages.get("file") or messages.get("kind") or error.messages}
        ) from error
    photo = WoundPhoto(assessment=assessment, document=document)
    writes.save(photo, acting_user=acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=wound.person, obj=photo)
    return photo


@transaction.atomic
def wound_assessment_mark_entered_in_error(
    *, acting_user, assessment: WoundAssessment, reason: str, expected_version
):
    return _mark_in_error(
        assessment,
        acting_user=acting_user,
        person=assessment.wound.person,
        reason=reason,
        expected_version=expected_version,
    )


def _link(wound: Wound, lines, *, acting_user) -> None:
    for line in lines:
        if line.person_id != wound.person_id:
            raise ValidationError({"lines": _("Ce soin n'est pas dans le plan de cette personne.")})
        link = WoundCareLink(wound=wound, line=line)
        writes.save(link, acting_user=acting_user, created=True)


@transaction.atomic
def wound_care_lines_set(*, acting_user, wound: Wound, lines) -> list[WoundCareLink]:
    """The care-plan lines that treat the wound, as ticked: new ones linked, unticked ones
    ended (kept for the history). Lines are compared by their chain of versions."""
    writes.require_write(acting_user, wound.person, CARE, NOT_WRITTEN)
    Wound.objects.select_for_update().only("pk").get(pk=wound.pk)
    wanted = {line.pk: line for line in lines}
    current = list(
        WoundCareLink.objects.filter(wound=wound, ended_at__isnull=True).select_related("line")
    )
    chains = _chains(wound.person_id)
    now = timezone.now()
    kept = set()
    for link in current:
        latest = chains.get(link.line_id, link.line_id)
        if latest in wanted or link.line_id in wanted:
            kept.add(latest)
            kept.add(link.line_id)
            continue
        link.ended_at = now
        writes.save(link, acting_user=acting_user)
    _link(wound, [line for pk, line in wanted.items() if pk not in kept], acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=wound.person, obj=wound)
    return list(WoundCareLink.objects.filter(wound=wound, ended_at__isnull=True))


def _chains(person_id) -> dict[int, int]:
    """Each plan line of the person → the latest version of its chain (one query)."""
    replaced_by = dict(
        CarePlanLine.objects.filter(person_id=person_id, replaces__isnull=False).values_list(
            "replaces_id", "pk"
        )
    )
    latest = {}
    for start in set(replaced_by) | set(replaced_by.values()):
        pk, seen = start, set()
        while pk in replaced_by and pk not in seen:
            seen.add(pk)
            pk = replaced_by[pk]
        latest[start] = pk
    return latest
