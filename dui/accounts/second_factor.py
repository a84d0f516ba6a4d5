"""Whether a user must present a second factor, and TOTP device helpers."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from dui.access.policy import active_assignments

from .models import SecondFactorExemption


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


PENDING_KEY = "dui_totp_pending_key"


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
