import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from dui.access import journal
from dui.access.decorators import no_person_data
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction
from dui.access.policy import active_assignments
from dui.core.forms import VersionedForm, add_service_errors
from dui.core.idempotency import idempotent

from . import services
from .forms import (
    AssignmentSwitchForm,
    LoginForm,
    SecondFactorExemptionForm,
    TokenForm,
    UnlockForm,
)
from .login_methods import complete_login
from .middleware import LAST_SEEN, LOCKED, SESSION_ASSIGNMENT_KEY
from .models import AssignmentRole, SecondFactorExemption
from .second_factor import PENDING_KEY, confirmed_device, pending_device


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@no_person_data
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if complete_login(request, user, method="password"):
            target = "accounts:otp_verify" if confirmed_device(user) else "accounts:otp_setup"
            return redirect(
                reverse(target)
                + "?"
                + urlencode({"next": _safe_next(request, reverse("core:home"))})
            )
        return redirect(_safe_next(request, reverse("core:home")))
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes: too many failures. Same wording whatever the username."""
    form = LoginForm(request)
    # An unbound form has no cleaned_data, which add_error() needs.
    form.cleaned_data = {}
    form.add_error(
        None,
        _(
            "Trop de tentatives infructueuses : la connexion est bloquée pendant "
            "%(minutes)s minutes. Contactez votre encadrement si besoin."
        )
        % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
    )
    return render(request, "accounts/login.html", {"form": form}, status=429)


@login_required
@no_person_data
def otp_verify(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect(reverse("accounts:otp_setup") + "?" + request.GET.urlencode())
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_safe_next(request, reverse("core:home")))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@no_person_data
def otp_setup(request):
    if confirmed_device(request.user):
        return redirect(reverse("accounts:otp_verify") + "?" + request.GET.urlencode())
    device = pending_device(request)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save()
        request.session.pop(PENDING_KEY, None)
        otp_login(request, device)
        journal.record_from_request(
            request,
            action=AccessAction.CONFIGURE,
            obj=request.user,
            object_type="accounts.second_factor",
        )
        messages.success(request, _("Second facteur activé."))
        return redirect(_safe_next(request, reverse("core:home")))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1b2a41")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret}
    )


@login_required
@no_person_data
def lock(request):
    """The lock screen of a shared tablet after inactivity; GET only shows it."""
    return render(
        request,
        "accounts/lock.html",
        {
            "form": UnlockForm(request=request),
            "next": _safe_next(request, reverse("core:home")),
        },
    )


@require_POST
@login_required
@no_person_data
def lock_now(request):
    request.session[LOCKED] = True
    return HttpResponse(status=204)


@require_POST
@login_required
@no_person_data
def unlock(request):
    form = UnlockForm(request.POST, request=request)
    if form.is_valid():
        request.session[LOCKED] = False
        request.session[LAST_SEEN] = timezone.now().timestamp()
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(status=204)
        return redirect(_safe_next(request, reverse("core:home")))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(form.errors["password"][0], status=400, content_type="text/plain")
    return render(
        request,
        "accounts/lock.html",
        {"form": form, "next": _safe_next(request, reverse("core:home"))},
    )


@require_POST
@login_required
@no_person_data
def activity(request):
    """Keep-alive while the user types (no request otherwise reaches the server)."""
    return HttpResponse(status=204)


@require_POST
@no_person_data
def logout_view(request):
    auth_logout(request)
    messages.info(request, _("Vous êtes déconnecté(e)."))
    return redirect("accounts:login")


@require_POST
@login_required
@no_person_data
def logout_everywhere(request):
    services.user_end_sessions(acting_user=request.user, user=request.user)
    auth_logout(request)
    messages.info(request, _("Toutes vos sessions ont été fermées, sur tous les appareils."))
    return redirect("accounts:login")


@require_POST
@login_required
@no_person_data
def switch_assignment(request):
    form = AssignmentSwitchForm(request.POST)
    if form.is_valid():
        for assignment in active_assignments(request.user):
            if assignment.public_id == form.cleaned_data["assignment"]:
                request.session[SESSION_ASSIGNMENT_KEY] = assignment.pk
                messages.success(
                    request, _("Vous travaillez maintenant pour : %(a)s") % {"a": assignment}
                )
                break
        else:
            messages.error(request, _("Cette affectation n'est pas la vôtre ou n'est plus active."))
    return redirect(_safe_next(request, reverse("core:home")))


DIRECTION_ONLY = gettext_lazy("Réservé à la direction de l'établissement.")


def _directed_establishment(request):
    """The establishment the user directs under their current assignment; else a refusal
    (journaled and explained by the 403 handler)."""
    assignment = request.assignment
    if not assignment or assignment.role != AssignmentRole.DIRECTOR:
        raise AccessDenied(DIRECTION_ONLY)
    return assignment.establishment


@login_required
@idempotent
@no_person_data
def second_factor_exemptions(request):
    """The director's explicit, journaled exemptions from the second factor."""
    establishment = _directed_establishment(request)
    form = SecondFactorExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_exemption_grant(
                acting_user=request.user,
                establishment=establishment,
                profession=form.cleaned_data["profession"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Exemption enregistrée."))
            return redirect("accounts:second_factor_exemptions")
    exemptions = (
        SecondFactorExemption.objects.filter(establishment=establishment)
        .select_related("profession", "created_by")
        .order_by("-created_at")
    )
    return render(
        request,
        "accounts/second_factor_exemptions.html",
        {"establishment": establishment, "form": form, "exemptions": exemptions},
    )


@login_required
@require_POST
@idempotent
@no_person_data
def second_factor_exemption_revoke(request, exemption_id):
    establishment = _directed_establishment(request)
    exemption = get_object_or_404(
        SecondFactorExemption, public_id=exemption_id, establishment=establishment, revoked_at=None
    )
    form = VersionedForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["version"])
        services.second_factor_exemption_revoke(
            acting_user=request.user,
            exemption=exemption,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Exemption révoquée : le second facteur est de nouveau exigé."))
    return redirect("accounts:second_factor_exemptions")
