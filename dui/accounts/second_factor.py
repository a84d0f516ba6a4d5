"""Whether a user must present a second factor; devices, enrolment codes and recovery codes.

Secrets the professional types (enrolment codes, recovery codes) and the enrolment links are
drawn from Crockford's base32 alphabet (no I, L, O, U: nothing to confuse when read aloud or
copied from paper). The database keeps only a digest keyed with the SECRET_KEY, which is not
in the database: a copy of the database gives no usable code.
"""

import base64
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from dui.access.policy import active_assignments

from .models import SecondFactorExemption

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Typed by the professional from what the director tells them: 12 characters, 60 bits.
ENROLMENT_CODE_LENGTH = 12
# Only ever clicked: 32 characters, 160 bits.
ENROLMENT_LINK_LENGTH = 32
# Written down on paper at enrolment: 10 characters, 50 bits; ten of them, each used once.
RECOVERY_CODE_LENGTH = 10
RECOVERY_DEVICE_NAME = "Codes de secours"

# Crockford's decoding of look-alike characters.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def second_factor_required(user) -> bool:
    """Required by default. Exempt only: demo accounts under the demo settings, or a profession
    explicitly exempted by *every* establishment where the user is currently assigned — never
    an administrator nor someone acting in a management role (they configure access)."""
    if settings.DUI_DEMO_MODE and user.is_demo:
        return False
    assignments = active_assignments(user)
    if user.is_staff or user.is_superuser or any(a.role != "staff" for a in assignments):
        return True
    establishments = {a.establishment_id for a in assignments}
    if not establishments or not user.profession_id:
        return True
    exempt = set(
        SecondFactorExemption.objects.filter(
            establishment_id__in=establishments,
            profession_id=user.profession_id,
            revoked_at__isnull=True,
        ).values_list("establishment_id", flat=True)
    )
    return exempt != establishments


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


PENDING_KEY = "dui_totp_pending_key"
# The enrolment code checked in this session (its public id): the QR code is shown only then.
ENROLMENT_CODE_KEY = "dui_enrolment_code"


def pending_device(request) -> TOTPDevice:
    """The device being enrolled, not yet saved: its secret waits in the session so that
    showing the QR code (a GET) writes nothing; the device is saved once a code is confirmed."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = random_hex(20)
    saved = TOTPDevice.objects.filter(user=request.user, key=key, confirmed=False).first()
    # A wrong code saves the device unconfirmed (django-otp's throttling counter): reuse it.
    return saved or TOTPDevice(
        user=request.user, key=key, confirmed=False, name="Application d'authentification"
    )


# --- Secrets ------------------------------------------------------------------------------------


def new_secret(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """What the professional typed, as it was issued: case, spaces and hyphens ignored,
    look-alike letters read as the digits they stand for."""
    return "".join((typed or "").split()).replace("-", "").upper().translate(_LOOK_ALIKES)


def grouped(secret: str, size: int) -> str:
    """`ABCDEFGHJKMN` → `ABCD-EFGH-JKMN`, easier to read aloud and to copy."""
    return "-".join(secret[i : i + size] for i in range(0, len(secret), size))


def _keys() -> list[str]:
    # A rotated SECRET_KEY moves to SECRET_KEY_FALLBACKS: codes issued before still verify.
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def enrolment_digests(secret: str) -> list[str]:
    """The stored digest of an enrolment secret, under the current key then the old ones."""
    value = normalise(secret)
    return [
        salted_hmac("dui.accounts.enrolment", value, secret=key, algorithm="sha256").hexdigest()
        for key in _keys()
    ]


def recovery_digests(code: str) -> list[str]:
    """The stored form of a recovery code: 16 characters (96 bits), what django-otp's static
    token column holds."""
    value = normalise(code)
    return [
        base64.urlsafe_b64encode(
            salted_hmac("dui.accounts.recovery", value, secret=key, algorithm="sha256").digest()
        ).decode()[:16]
        for key in _keys()
    ]
