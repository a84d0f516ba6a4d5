"""Writes about professionals and their sessions. Each is one transaction, journaled."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction
from dui.access.policy import management_establishment_ids
from dui.core import dates

from . import notifications
from .models import Assignment, EnrolmentChannel, EnrolmentCode, SecondFactorExemption, User
from .second_factor import (
    ENROLMENT_CODE_LENGTH,
    ENROLMENT_LINK_LENGTH,
    RECOVERY_CODE_LENGTH,
    RECOVERY_DEVICE_NAME,
    enrolment_digests,
    new_secret,
    recovery_device,
    recovery_digests,
)

ASSIGNMENT_FIELDS = ("establishment", "unit", "role", "start_date", "end_date")
NOT_ASSIGNER = gettext_lazy("Seuls la direction et l'administration affectent des professionnels.")
STALE_ASSIGNMENT = gettext_lazy(
    "Cette affectation a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)
STALE_EXEMPTION = gettext_lazy(
    "Cette exemption a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


@transaction.atomic
def user_end_sessions(*, acting_user, user: User) -> None:
    """Logout everywhere: every session opened before now is closed at its next request."""
    if acting_user.pk != user.pk and not acting_user.is_superuser:
        raise AccessDenied(
            _("Seul un administrateur peut fermer les sessions d'un autre professionnel.")
        )
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    journal.record(
        user=acting_user,
        action=AccessAction.SESSION,
        object_type="accounts.User",
        object_id=str(user.public_id),
    )


def _require_assigner(acting_user, establishment) -> None:
    """Assignments open access to persons: the direction or the administration of the
    establishment gives them (or a superuser, in the admin)."""
    if not acting_user.is_superuser and establishment.pk not in management_establishment_ids(
        acting_user, roles=("director", "admin")
    ):
        raise AccessDenied(NOT_ASSIGNER)


@transaction.atomic
def assignment_create(
    *, acting_user, user: User, establishment, unit=None, role: str, start_date, end_date=None
) -> Assignment:
    _require_assigner(acting_user, establishment)
    assignment = Assignment(user=user)
    writes.assign(
        assignment,
        {
            "establishment": establishment,
            "unit": unit,
            "role": role,
            "start_date": start_date,
            "end_date": end_date,
        },
        ASSIGNMENT_FIELDS,
    )
    writes.save(assignment, acting_user=acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=assignment)
    return assignment


@transaction.atomic
def assignment_update(*, acting_user, assignment: Assignment, data: dict, expected_version):
    """Change an assignment (its end date, mostly: assignments end, they are never deleted).
    The rights are those of the establishment it is in, before and after the change."""
    _require_assigner(acting_user, assignment.establishment)
    assignment = writes.lock(
        assignment, expected_version=expected_version, stale_message=STALE_ASSIGNMENT
    )
    writes.assign(assignment, data, ASSIGNMENT_FIELDS)
    _require_assigner(acting_user, assignment.establishment)
    writes.save(assignment, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=assignment)
    return assignment


# Those who configure access or manage the establishment always use a second factor.
NEVER_EXEMPT_PROFESSIONS = frozenset({"directeur", "administrateur", "chef_service", "cadre_sante"})


@transaction.atomic
def second_factor_exemption_grant(
    *, acting_user, establishment, profession, reason: str
) -> SecondFactorExemption:
    if establishment.pk not in management_establishment_ids(acting_user, roles=("director",)):
        raise AccessDenied(_("Seule la direction de l'établissement peut exempter une profession."))
    if profession.code in NEVER_EXEMPT_PROFESSIONS or profession.pk == acting_user.profession_id:
        raise ValidationError(
            {
                "profession": _(
                    "Cette profession ne peut pas être exemptée du second facteur (direction, "
                    "encadrement, administration, ou votre propre profession)."
                )
            }
        )
    if len((reason or "").strip()) < 15:
        raise ValidationError({"reason": _("Motivez l'exemption (au moins 15 caractères).")})
    exemption = SecondFactorExemption(
        establishment=establishment, profession=profession, reason=reason.strip()
    )
    writes.save(exemption, acting_user=acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=exemption)
    return exemption


@transaction.atomic
def second_factor_exemption_revoke(
    *, acting_user, exemption: SecondFactorExemption, expected_version
) -> None:
    if exemption.establishment_id not in management_establishment_ids(
        acting_user, roles=("director",)
    ):
        raise AccessDenied(_("Seule la direction de l'établissement peut révoquer une exemption."))
    exemption = writes.lock(
        exemption, expected_version=expected_version, stale_message=STALE_EXEMPTION
    )
    if exemption.revoked_at is not None:
        raise ValidationError(_("Cette exemption est déjà révoquée."))
    exemption.revoked_at = dates.now()
    writes.save(exemption, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=exemption)
    # The requirement is decided when a session starts: close the sessions of the people
    # concerned so that the second factor applies from their next request, not in 12 hours.
    concerned = User.objects.filter(
        profession_id=exemption.profession_id,
        assignments__in=Assignment.objects.active().filter(
            establishment_id=exemption.establishment_id
        ),
    ).distinct()
    for user in concerned:
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        journal.record(
            user=acting_user,
            action=AccessAction.SESSION,
            object_type="accounts.User",
            object_id=str(user.public_id),
        )


# --- Second-factor enrolment (issue 10, finding 2) ---------------------------------------------
# The password alone never attaches a phone to an account: enrolling needs an enrolment code
# issued by the direction or the administration of one of the professional's establishments
# (or a link sent to their address), valid once and for at most 72 hours. Every issue,
# enrolment, revocation and recovery-code use is journaled and mailed to the professional.

ENROLMENT_ISSUER_ROLES = ("director", "admin")
NOT_ENROLMENT_ISSUER = gettext_lazy(
    "Seules la direction et l'administration d'un établissement où ce professionnel est "
    "affecté gèrent son second facteur."
)
NOT_FOR_ONESELF = gettext_lazy(
    "Vous ne pouvez pas gérer votre propre second facteur : adressez-vous à un autre membre de "
    "la direction ou à l'administration."
)
ALREADY_ENROLLED = gettext_lazy(
    "Ce professionnel a déjà un second facteur actif. Téléphone perdu : révoquez-le d'abord, "
    "puis émettez un code."
)
NO_ADDRESS = gettext_lazy(
    "Ce professionnel n'a pas d'adresse électronique : remettez-lui plutôt un code."
)
LINK_NOT_SENT = gettext_lazy(
    "Le courriel n'a pas pu être envoyé à %(email)s : aucun lien n'a été émis. Remettez plutôt "
    "un code, ou réessayez plus tard."
)
NOTHING_TO_REVOKE = gettext_lazy("Ce professionnel n'a pas de second facteur actif.")
CODE_WRONG = gettext_lazy("Code d'enrôlement incorrect.")
CODE_EXPIRED = gettext_lazy(
    "Ce code d'enrôlement a expiré : demandez-en un nouveau à la direction."
)
CODE_USED = gettext_lazy("Ce code d'enrôlement a déjà été utilisé.")
CODE_CANCELLED = gettext_lazy(
    "Ce code d'enrôlement a été remplacé ou annulé : utilisez le dernier code reçu."
)
TOO_MANY_TRIES = gettext_lazy("Trop d'essais : patientez quelques secondes puis recommencez.")
ALREADY_ACTIVE = gettext_lazy("Le second facteur de ce compte est déjà activé.")


def _professional_establishment_ids(user) -> set[int]:
    """Establishments where the professional works or is about to (a new hire enrols before
    the first day): assignments not ended."""
    today = dates.today()
    return set(
        Assignment.objects.filter(user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("establishment_id", flat=True)
    )


def _require_second_factor_manager(acting_user, user) -> None:
    if acting_user.pk == user.pk:
        raise AccessDenied(NOT_FOR_ONESELF)
    if acting_user.is_superuser:
        return
    managed = management_establishment_ids(acting_user, roles=ENROLMENT_ISSUER_ROLES)
    if not managed & _professional_establishment_ids(user):
        raise AccessDenied(NOT_ENROLMENT_ISSUER)


def _issue(*, issued_by, user, channel: str, site_url: str = "") -> tuple[EnrolmentCode, str]:
    """The code itself, once the issuer's right is checked (or for the command line)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(ALREADY_ENROLLED, code="already_enrolled")
    if channel == EnrolmentChannel.LINK and not user.email:
        raise ValidationError(NO_ADDRESS, code="no_address")
    now = dates.now()
    secret = new_secret(
        ENROLMENT_LINK_LENGTH if channel == EnrolmentChannel.LINK else ENROLMENT_CODE_LENGTH
    )
    code = EnrolmentCode(
        user=user,
        channel=channel,
        digest=enrolment_digests(secret)[0],
        expires_at=now + timedelta(hours=settings.DUI_ENROLMENT_CODE_HOURS),
    )
    issuer = str(issued_by) if issued_by else _("L'administration du système")
    if channel == EnrolmentChannel.LINK:
        # The mail is the link's only way to its owner, so it is sent before anything is
        # written (and before the journal's lock is taken): a link that could not be sent is
        # never reported as sent, and leaves nothing behind. The rare opposite — mailed, then
        # the write rolled back — leaves a dead link, refused with a French message.
        link = site_url.rstrip("/") + reverse("accounts:enrolment_link", args=[secret])
        if not notifications.send(
            notifications.ENROLMENT_LINK,
            user=user,
            issuer=issuer,
            link=link,
            expires_at=code.expires_at,
        ):
            raise ValidationError(LINK_NOT_SENT % {"email": user.email}, code="not_sent")
    # A new code replaces any code not used yet: only the last one given works.
    EnrolmentCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now, updated_at=now, updated_by=issued_by)
    # `created_at` is set on save; the constraint compares it with the expiry.
    code.created_at = now
    writes.save(code, acting_user=issued_by, created=True)
    journal.record(user=issued_by, action=AccessAction.CONFIGURE, obj=code)
    if channel == EnrolmentChannel.CODE:
        transaction.on_commit(
            partial(
                notifications.send,
                notifications.ENROLMENT_CODE_ISSUED,
                user=user,
                issuer=issuer,
                expires_at=code.expires_at,
            )
        )
    return code, secret


@transaction.atomic
def enrolment_code_issue(
    *, acting_user, user: User, channel: str = EnrolmentChannel.CODE, site_url: str = ""
) -> tuple[EnrolmentCode, str]:
    """Issue an enrolment code (shown once to the issuer) or send an enrolment link.

    Returns the code row and its secret — the only moment it exists in clear. `site_url`: the
    address of this installation, for the link (`https://dui.example.fr`)."""
    _require_second_factor_manager(acting_user, user)
    return _issue(issued_by=acting_user, user=user, channel=channel, site_url=site_url)


def enrolment_code_check(*, acting_user, secret: str) -> EnrolmentCode:
    """The professional gives the code (or follows the link): the code, still usable, is
    theirs; else a French refusal. A wrong code delays the next try (1, 2, 4, 8… seconds),
    and the delay is kept even though the attempt is refused. Consumes nothing: the code is
    used by `second_factor_enrol`, once the phone is set up."""
    problem = None
    with transaction.atomic():
        codes = EnrolmentCode.objects.select_for_update().filter(user=acting_user)
        open_code = codes.filter(used_at__isnull=True, cancelled_at__isnull=True).first()
        if open_code is not None:
            allowed, _data = open_code.verify_is_allowed()
            if not allowed:
                raise ValidationError(TOO_MANY_TRIES, code="throttled")
        match = codes.filter(digest__in=enrolment_digests(secret)).first()
        if match is None:
            problem = ValidationError(CODE_WRONG, code="wrong")
        elif match.used_at is not None:
            problem = ValidationError(CODE_USED, code="used")
        elif match.cancelled_at is not None:
            problem = ValidationError(CODE_CANCELLED, code="cancelled")
        elif not match.is_usable():
            problem = ValidationError(CODE_EXPIRED, code="expired")
        if problem is None:
            match.throttle_reset()
            return match
        if open_code is not None:
            open_code.throttle_increment()
        # A wrong enrolment code may be someone holding a stolen password: journaled.
        journal.record(
            user=acting_user,
            action=AccessAction.DENIED,
            object_type="accounts.EnrolmentCode",
            object_id=str(match.public_id) if match else "",
        )
    raise problem


@transaction.atomic
def second_factor_enrol(*, acting_user, enrolment_code: EnrolmentCode, device: TOTPDevice):
    """All or nothing: the enrolment code is consumed, the authenticator app's device (whose
    code the professional just typed) is confirmed, recovery codes are created, and it is
    journaled. Returns the recovery codes, in clear for this once."""
    code = EnrolmentCode.objects.select_for_update().get(pk=enrolment_code.pk)
    if code.user_id != acting_user.pk:
        raise AccessDenied(CODE_WRONG)
    if TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        raise ValidationError(ALREADY_ACTIVE, code="already_enrolled")
    if code.used_at is not None:
        raise ValidationError(CODE_USED, code="used")
    if code.cancelled_at is not None:
        raise ValidationError(CODE_CANCELLED, code="cancelled")
    if not code.is_usable():
        raise ValidationError(CODE_EXPIRED, code="expired")
    code.used_at = dates.now()
    writes.save(code, acting_user=acting_user)

    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.user = acting_user
    device.confirmed = True
    device.save()
    recovery_codes = _new_recovery_codes(acting_user)

    journal.record(
        user=acting_user,
        action=AccessAction.CONFIGURE,
        object_type="accounts.second_factor",
        object_id=str(acting_user.public_id),
    )
    transaction.on_commit(
        partial(
            notifications.send,
            notifications.ENROLLED,
            user=acting_user,
            recovery_count=len(recovery_codes),
        )
    )
    return recovery_codes


def _new_recovery_codes(user) -> list[str]:
    """Ten single-use codes (django-otp's static device), stored as keyed digests; the
    previous ones, if any, stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [new_secret(RECOVERY_CODE_LENGTH) for _ in range(settings.DUI_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_digests(code)[0]) for code in codes
    )
    return codes


def recovery_code_use(*, acting_user, code: str, ip_address: str | None = None):
    """Log in with a recovery code instead of the TOTP code: the code works once. Returns the
    recovery device (for `django_otp.login`), or None when the code is wrong — the failure
    is counted (throttled like the TOTP check) and kept."""
    device = recovery_device(acting_user)
    if device is None:
        return None
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(TOO_MANY_TRIES, code="throttled")
        match = device.token_set.filter(token__in=recovery_digests(code)).first()
        if match is None:
            device.throttle_increment()
            return None
        match.delete()
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        journal.record(
            user=acting_user,
            action=AccessAction.SESSION,
            object_type="accounts.login:recovery_code",
            object_id=str(acting_user.public_id),
            ip_address=ip_address,
        )
        transaction.on_commit(
            partial(
                notifications.send,
                notifications.RECOVERY_CODE_USED,
                user=acting_user,
                remaining=device.token_set.count(),
                ip_address=ip_address,
            )
        )
    return device


@transaction.atomic
def second_factor_revoke(*, acting_user, user: User) -> None:
    """A lost (or stolen) phone: the professional's authenticator app and recovery codes stop
    working, codes not yet used are cancelled and their open sessions are closed. They enrol
    again with a new enrolment code."""
    _require_second_factor_manager(acting_user, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    if not devices.exists() and not StaticDevice.objects.filter(user=user).exists():
        raise ValidationError(NOTHING_TO_REVOKE, code="nothing_to_revoke")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    now = dates.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now, updated_at=now, updated_by=acting_user
    )
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    journal.record(
        user=acting_user,
        action=AccessAction.CONFIGURE,
        object_type="accounts.second_factor:revoked",
        object_id=str(user.public_id),
    )
    journal.record(
        user=acting_user,
        action=AccessAction.SESSION,
        object_type="accounts.User",
        object_id=str(user.public_id),
    )
    transaction.on_commit(
        partial(notifications.send, notifications.REVOKED, user=user, revoker=str(acting_user))
    )
