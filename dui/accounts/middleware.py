"""Session policy: logout-everywhere generation, absolute lifetime, idle lock, second factor."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.access import journal
from dui.access.models import AccessAction
from dui.access.policy import active_assignments
from dui.core.dates import zone_of

from .second_factor import second_factor_required

AUTH_AT = "dui_auth_at"
LAST_SEEN = "dui_last_seen"
LOCKED = "dui_locked"
GENERATION = "dui_generation"
SECOND_FACTOR_REQUIRED = "dui_2fa_required"
SESSION_ASSIGNMENT_KEY = "dui_assignment_id"

NO_ASSIGNMENT = gettext_lazy(
    "Aucune affectation en cours dans un établissement : adressez-vous à la direction."
)

# Last-seen is refreshed at most this often, to spare a session write per request.
_TOUCH_EVERY_SECONDS = 20


def _exempt_path(path: str, names: tuple[str, ...]) -> bool:
    if path.startswith(
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    ):
        return True
    return any(path == reverse(name) for name in names)


def session_start(request) -> None:
    """Called right after a successful password login."""
    now = timezone.now().timestamp()
    request.session[AUTH_AT] = now
    request.session[LAST_SEEN] = now
    request.session[LOCKED] = False
    request.session[GENERATION] = request.user.session_generation
    request.session[SECOND_FACTOR_REQUIRED] = second_factor_required(request.user)


def _refuse(request, target: str):
    # The header itself, not request.htmx: HtmxMiddleware runs after this one.
    if request.headers.get("HX-Request") == "true" or request.headers.get("Accept", "").startswith(
        "application/json"
    ):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


class SessionPolicyMiddleware:
    LOCK_EXEMPT = (
        "accounts:lock",
        "accounts:lock_now",
        "accounts:unlock",
        "accounts:logout",
        "accounts:activity",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = timezone.now()
        if session.get(GENERATION) != user.session_generation:
            logout(request)
            messages.warning(request, _("Votre session a été fermée. Reconnectez-vous."))
            return _refuse(request, reverse("accounts:login"))
        auth_at = datetime.fromtimestamp(
            session.get(AUTH_AT, 0), tz=timezone.get_current_timezone()
        )
        if now - auth_at > settings.SESSION_ABSOLUTE_LIFETIME:
            logout(request)
            messages.warning(
                request, _("Votre session a dépassé sa durée maximale. Reconnectez-vous.")
            )
            return _refuse(request, reverse("accounts:login"))
        last_seen = session.get(LAST_SEEN, 0)
        idle = now.timestamp() - last_seen
        if idle > settings.SESSION_IDLE_LOCK.total_seconds() and not session.get(LOCKED):
            session[LOCKED] = True
        if session.get(LOCKED):
            if _exempt_path(request.path, self.LOCK_EXEMPT):
                return self.get_response(request)
            next_path = request.get_full_path() if request.method == "GET" else request.path
            return _refuse(request, reverse("accounts:lock") + "?" + urlencode({"next": next_path}))
        if idle > _TOUCH_EVERY_SECONDS:
            session[LAST_SEEN] = now.timestamp()
        return self.get_response(request)


def is_enrolment_link(path: str) -> bool:
    """The page of the e-mailed enrolment link: open before the second factor, like setup."""
    try:
        return resolve(path).view_name == "accounts:enrolment_link"
    except Resolver404:
        return False


class SecondFactorRequiredMiddleware:
    ALLOWED = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.session.get(SECOND_FACTOR_REQUIRED, True)
            and not user.is_verified()
            and not _exempt_path(request.path, self.ALLOWED)
            and not is_enrolment_link(request.path_info)
        ):
            target = reverse("accounts:otp_verify")
            if request.method == "GET" and not request.headers.get("HX-Request"):
                # Back to the page asked for once the code is given (not to an htmx fragment).
                target += "?" + urlencode({"next": request.get_full_path()})
            return _refuse(request, target)
        return self.get_response(request)


def has_current_assignment(user) -> bool:
    """Whether the user works somewhere today. A superuser without assignment still logs in:
    on a new installation they create the first establishments and assignments (/admin/)."""
    return user.is_superuser or bool(active_assignments(user))


def _current_assignment(request):
    assignments = active_assignments(request.user)
    if not assignments:
        return None
    chosen = request.session.get(SESSION_ASSIGNMENT_KEY)
    for assignment in assignments:
        if assignment.pk == chosen:
            return assignment
    return assignments[0]


class CurrentAssignmentMiddleware:
    """`request.assignment`: the assignment the user acts under (establishment/unit switcher).

    Its establishment's time zone is the request's: dates shown and "today" are that
    establishment's (dui.core.dates), whatever the server's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.assignment = SimpleLazyObject(lambda: _current_assignment(request))
        if not getattr(request.user, "is_authenticated", False):
            return self.get_response(request)
        if not has_current_assignment(request.user):
            return self._close(request)
        assignment = request.assignment
        if assignment:
            timezone.activate(zone_of(assignment.establishment))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _close(request):
        """The user's last assignment ended during the session (or the next one has not
        begun): the session is closed, with the reason, and the refused request journaled."""
        user = request.user
        journal.record(
            user=user,
            action=AccessAction.DENIED,
            object_type="accounts.session:no_assignment",
            object_id=str(user.public_id),
            ip_address=journal.client_ip(request),
        )
        logout(request)
        messages.warning(request, NO_ASSIGNMENT)
        return _refuse(request, reverse("accounts:login"))
