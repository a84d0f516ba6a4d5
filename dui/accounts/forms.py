from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import EnrolmentChannel, Profession


class LoginForm(AuthenticationForm):
    """Generic message on any failure: it never tells whether the username exists."""

    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "inactive": _("Identifiant ou mot de passe incorrect."),
        "demo_disabled": _("Les comptes de démonstration sont désactivés sur cette installation."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DUI_DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if self.device is None:
            raise forms.ValidationError(_("Aucun second facteur n'est enregistré pour ce compte."))
        allowed, _data = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Trop d'essais : patientez quelques secondes puis recommencez.")
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(_("Code incorrect ou expiré."))
        return token


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate() so that django-axes counts the failures here too.
        if authenticate(self.request, username=user.get_username(), password=password) is None:
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password


class AssignmentSwitchForm(forms.Form):
    assignment = forms.UUIDField()


class SecondFactorExemptionForm(forms.Form):
    # The profession's stable code in the page, not its database key.
    profession = forms.ModelChoiceField(label=_("Profession"), queryset=None, to_field_name="code")
    reason = forms.CharField(
        label=_("Motif de l'exemption"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Par exemple : tablette partagée sans téléphone professionnel. Le motif est tracé."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profession"].queryset = Profession.objects.order_by("label")


class EnrolmentCodeForm(forms.Form):
    """The enrolment code given by the direction (or the one carried by the e-mailed link)."""

    code = forms.CharField(
        label=_("Code d'enrôlement"),
        max_length=64,
        help_text=_(
            "Remis par la direction ou l'administration de votre établissement (par exemple "
            "ABCD-EFGH-JKMN), ou contenu dans le lien reçu par courriel."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class RecoveryCodeForm(forms.Form):
    """A recovery code, instead of the TOTP code, when the phone is not at hand."""

    recovery_code = forms.CharField(
        label=_("Code de secours"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class EnrolmentIssueForm(forms.Form):
    channel = forms.ChoiceField(
        choices=EnrolmentChannel.choices, initial=EnrolmentChannel.CODE, required=False
    )

    def clean_channel(self):
        return self.cleaned_data["channel"] or EnrolmentChannel.CODE
