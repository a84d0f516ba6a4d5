"""How a professional proves who they are, and the one place a login completes.

Today: password (argon2, django-axes) then TOTP. Pro Santé Connect (the ANS OpenID Connect
service, e-CPS or CPS card) is the next method: its views will start the OIDC flow, and its
callback will find the user by RPPS number and call `complete_login(..., second_factor_done=True)`
— PSC is itself a multi-factor method, so the TOTP step is then skipped.
"""

from django.contrib.auth import login as auth_login
from django_otp import login as otp_login

from dui.access import journal
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction

from .middleware import NO_ASSIGNMENT, SECOND_FACTOR_REQUIRED, has_current_assignment, session_start


def complete_login(request, user, *, method: str, second_factor_device=None) -> bool:
    """Open the session; return True when a TOTP step is still needed.

    Refused (`AccessDenied`, journaled, no session opened) to a professional with no current
    assignment: someone who left, or a new hire before their first day."""
    if not has_current_assignment(user):
        journal.record(
            user=user,
            action=AccessAction.DENIED,
            object_type=f"accounts.login:{method}",
            object_id=str(user.public_id),
            ip_address=journal.client_ip(request),
        )
        raise AccessDenied(NO_ASSIGNMENT)
    auth_login(
        request, user, backend=getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
    )
    session_start(request)
    if second_factor_device is not None:
        otp_login(request, second_factor_device)
    journal.record_from_request(
        request,
        action=AccessAction.SESSION,
        object_type=f"accounts.login:{method}",
        object_id=str(user.public_id),
    )
    return bool(request.session[SECOND_FACTOR_REQUIRED]) and second_factor_device is None
