from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.forms import HiddenInput
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dui.access import journal
from dui.access.decorators import no_person_data
from dui.access.errors import AccessDenied
from dui.access.policy import active_assignments
from dui.core import dates
from dui.core.forms import VersionedForm, add_service_errors
from dui.core.idempotency import idempotent
from dui.core.redirects import safe_next

from . import services
from .forms import (
    AssignmentSwitchForm,
    EnrolmentCodeForm,
    EnrolmentIssueForm,
    LoginForm,
    RecoveryCodeForm,
    SecondFactorExemptionForm,
    TokenForm,
    UnlockForm,
)
from .login_methods import complete_login
from .middleware import LAST_SEEN, LOCKED, SESSION_ASSIGNMENT_KEY, is_enrolment_link
from .models import (
    Assignment,
    AssignmentRole,
    EnrolmentChannel,
    EnrolmentCode,
    SecondFactorExemption,
    User,
)
from .second_factor import (
    ENROLMENT_CODE_KEY,
    PENDING_KEY,
    confirmed_device,
    grouped,
    pending_device,
)


@no_person_data
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        try:
            second_factor_needed = complete_login(request, user, method="password")
        except AccessDenied as refusal:
            # Journaled by complete_login (no session was opened): the reason on the form.
            form.add_error(None, refusal.message)
            return render(
                request,
                "accounts/login.html",
                {"form": form, "next": safe_next(request, "")},
                status=403,
            )
        next_url = safe_next(request, reverse("core:home"))
        if second_factor_needed:
            if confirmed_device(user):
                target = reverse("accounts:otp_verify")
            elif is_enrolment_link(urlsplit(next_url).path):
                # The e-mailed enrolment link asked for the password: back to the link.
                return redirect(next_url)
            else:
                target = reverse("accounts:otp_setup")
            return redirect(target + "?" + urlencode({"next": next_url}))
        return redirect(next_url)
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


RECOVERY_CODE_WRONG = gettext_lazy("Code de secours incorrect ou déjà utilisé.")


@login_required
@no_person_data
def otp_verify(request):
    """The TOTP code of the authenticator app or, phone not at hand, a recovery code."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(reverse("accounts:otp_setup") + "?" + request.GET.urlencode())
    with_recovery = "recovery_code" in request.POST
    form = TokenForm(
        request.POST if request.method == "POST" and not with_recovery else None, device=device
    )
    recovery_form = RecoveryCodeForm(request.POST if with_recovery else None)
    if with_recovery and recovery_form.is_valid():
        try:
            recovery = services.recovery_code_use(
                acting_user=request.user,
                code=recovery_form.cleaned_data["recovery_code"],
                ip_address=journal.client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(recovery_form, error)
        else:
            if recovery is None:
                recovery_form.add_error("recovery_code", RECOVERY_CODE_WRONG)
            else:
                otp_login(request, recovery)
                remaining = recovery.token_set.count()
                messages.warning(
                    request,
                    _(
                        "Code de secours accepté : il vous en reste %(n)s. Téléphone perdu ? "
                        "Prévenez la direction, qui révoquera l'ancien et vous remettra un code "
                        "d'enrôlement."
                    )
                    % {"n": remaining},
                )
                return redirect(safe_next(request, reverse("core:home")))
    elif request.method == "POST" and not with_recovery and form.is_valid():
        otp_login(request, device)
        return redirect(safe_next(request, reverse("core:home")))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "recovery_form": recovery_form, "next": safe_next(request, "")},
    )


def _checked_enrolment_code(request) -> EnrolmentCode | None:
    """The enrolment code given earlier in this session, if it can still be used."""
    public_id = request.session.get(ENROLMENT_CODE_KEY)
    if not public_id:
        return None
    code = EnrolmentCode.objects.filter(public_id=public_id, user=request.user).first()
    return code if code is not None and code.is_usable() else None


@login_required
@no_person_data
def otp_setup(request):
    """Enrolment: first the enrolment code (the password alone enrols nothing), then the QR
    code of the authenticator app and its first code; then the recovery codes, shown once."""
    if confirmed_device(request.user):
        return redirect(reverse("accounts:otp_verify") + "?" + request.GET.urlencode())
    code = _checked_enrolment_code(request)
    if code is None:
        return _enrolment_code_step(request)
    return _device_step(request, code)


def _enrolment_code_step(request):
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.enrolment_code_check(
                acting_user=request.user, secret=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[ENROLMENT_CODE_KEY] = str(code.public_id)
            return redirect(
                reverse("accounts:otp_setup")
                + "?"
                + urlencode({"next": safe_next(request, reverse("core:home"))})
            )
    return render(
        request,
        "accounts/enrolment_code.html",
        {
            "form": form,
            "next": safe_next(request, ""),
            "from_link": False,
            "code_hours": settings.DUI_ENROLMENT_CODE_HOURS,
        },
    )


def _device_step(request, code: EnrolmentCode):
    device = pending_device(request)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            recovery_codes = services.second_factor_enrol(
                acting_user=request.user, enrolment_code=code, device=device
            )
        except ValidationError as error:
            request.session.pop(ENROLMENT_CODE_KEY, None)
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:otp_setup")
        for key in (PENDING_KEY, ENROLMENT_CODE_KEY):
            request.session.pop(key, None)
        otp_login(request, device)
        messages.success(request, _("Second facteur activé."))
        # Shown in the answer to this POST, never stored anywhere to be shown again.
        return render(
            request,
            "accounts/recovery_codes.html",
            {
                "codes": [grouped(c, 5) for c in recovery_codes],
                "next": safe_next(request, reverse("core:home")),
            },
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1b2a41")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "code": code},
    )


@login_required
@no_person_data
def enrolment_link(request, secret):
    """The link of the enrolment mail: the code step, filled in; continuing is a POST."""
    if confirmed_device(request.user):
        return redirect("accounts:otp_verify")
    form = EnrolmentCodeForm(initial={"code": secret})
    form.fields["code"].widget = HiddenInput()
    return render(
        request, "accounts/enrolment_code.html", {"form": form, "next": "", "from_link": True}
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
            "next": safe_next(request, reverse("core:home")),
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
        return redirect(safe_next(request, reverse("core:home")))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(form.errors["password"][0], status=400, content_type="text/plain")
    return render(
        request,
        "accounts/lock.html",
        {"form": form, "next": safe_next(request, reverse("core:home"))},
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
    return redirect(safe_next(request, reverse("core:home")))


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


# --- Second factor of the establishment's professionals (direction, administration) ----------

MANAGERS_ONLY = gettext_lazy("Réservé à la direction et à l'administration de l'établissement.")
PROFESSIONALS_PAGE_SIZE = 50


def _managed_establishment(request):
    """The establishment the user directs or administers under their current assignment."""
    assignment = request.assignment
    if not assignment or assignment.role not in services.ENROLMENT_ISSUER_ROLES:
        raise AccessDenied(MANAGERS_ONLY)
    return assignment.establishment


@login_required
@no_person_data
def second_factor_professionals(request):
    """The establishment's professionals and their second factor: issue an enrolment code,
    send a link, revoke after a lost phone."""
    establishment = _managed_establishment(request)
    today = dates.today(establishment)
    now = dates.now()
    working_here = Assignment.objects.filter(establishment=establishment).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    professionals = (
        User.objects.filter(pk__in=working_here.values("user_id"))
        .select_related("profession")
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            code_expires_at=Subquery(
                EnrolmentCode.objects.filter(
                    user=OuterRef("pk"),
                    used_at__isnull=True,
                    cancelled_at__isnull=True,
                    expires_at__gt=now,
                ).values("expires_at")[:1]
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    page = Paginator(professionals, PROFESSIONALS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/second_factor_professionals.html",
        {
            "establishment": establishment,
            "page": page,
            "code_hours": settings.DUI_ENROLMENT_CODE_HOURS,
        },
    )


@login_required
@require_POST
@idempotent
@no_person_data
def enrolment_code_issue(request, user_id):
    _managed_establishment(request)
    professional = get_object_or_404(User, public_id=user_id)
    form = EnrolmentIssueForm(request.POST)
    channel = form.cleaned_data["channel"] if form.is_valid() else EnrolmentChannel.CODE
    try:
        code, secret = services.enrolment_code_issue(
            acting_user=request.user,
            user=professional,
            channel=channel,
            site_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:second_factor_professionals")
    if channel == EnrolmentChannel.LINK:
        messages.success(
            request,
            _("Lien d'enrôlement envoyé à %(email)s, valable jusqu'au %(until)s.")
            % {
                "email": professional.email,
                "until": date_format(timezone.localtime(code.expires_at), "DATETIME_FORMAT"),
            },
        )
        return redirect("accounts:second_factor_professionals")
    # The one time the code is shown: in the answer to this POST, stored nowhere.
    return render(
        request,
        "accounts/enrolment_code_issued.html",
        {"professional": professional, "code": code, "secret": grouped(secret, 4)},
    )


@login_required
@require_POST
@idempotent
@no_person_data
def second_factor_revoke(request, user_id):
    _managed_establishment(request)
    professional = get_object_or_404(User, public_id=user_id)
    try:
        services.second_factor_revoke(acting_user=request.user, user=professional)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Second facteur de %(name)s révoqué : ses sessions sont fermées. Émettez-lui un "
                "code d'enrôlement pour son nouveau téléphone."
            )
            % {"name": professional},
        )
    return redirect("accounts:second_factor_professionals")
