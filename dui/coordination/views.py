"""The partner directory: GPs, mandataires, hospitals… of the user's organisation(s).

Everyone assigned to an establishment reads the directory of its organisation (a GP's phone
number is no one's personal record); adding and editing is for those who keep the
administrative record (`services.may_manage_partners`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.access.refusals import denied
from dui.core.forms import add_service_errors, version_field
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.core.redirects import safe_next

from . import services
from .models import Partner, PartnerKind
from .selectors import partner_manager_organisations, partners_visible_to

PAGE_SIZE = 50
RPPS_MESSAGE = next(
    str(c.violation_error_message)
    for c in Partner._meta.constraints
    if c.name == "partner_rpps_11_digits"
)


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Nom"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("Tous")), *PartnerKind.choices],
    )


class PartnerForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisme gestionnaire"),
        queryset=None,
        empty_label=None,
        to_field_name="public_id",
    )
    version = version_field()

    class Meta:
        model = Partner
        fields = ("organisation", "kind", "name", "rpps", "phone", "email", "address", "is_active")
        widgets = {
            "rpps": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = type(organisations[0]).objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].public_id
            field.widget = forms.HiddenInput()
        self.fields["rpps"].help_text = _("11 chiffres, pour un professionnel de santé.")
        if self.instance.pk:
            del self.fields["organisation"]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        else:
            del self.fields["is_active"]
            del self.fields["version"]  # a new partner has no version to compare yet

    def clean_rpps(self) -> str:
        value = "".join((self.cleaned_data.get("rpps") or "").split())
        if value and not (len(value) == 11 and value.isdigit()):
            raise ValidationError(RPPS_MESSAGE)
        return value

    def _post_clean(self):
        pass  # the services validate the model under their own lock


@login_required
def partner_list(request):
    form = PartnerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = partners_visible_to(
        user=request.user, kind=filters.get("type") or None, query=filters.get("q", "")
    )
    page = page_of(request, partners, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    managed = partner_manager_organisations(request.user)
    return render(
        request,
        "coordination/partner_list.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "can_add": bool(managed),
            "managed_ids": {o.pk for o in managed},
        },
    )


@login_required
@idempotent
def partner_create(request):
    organisations = partner_manager_organisations(request.user)
    if not organisations:
        return denied(request, _("Votre profession ne peut pas ajouter de partenaire."))
    initial = {}
    if request.GET.get("type") in PartnerKind.values:
        initial["kind"] = request.GET["type"]
    form = PartnerForm(request.POST or None, initial=initial, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                partner = services.partner_create(
                    acting_user=request.user,
                    organisation=data["organisation"],
                    kind=data["kind"],
                    name=data["name"],
                    rpps=data["rpps"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("« %(name)s » ajouté à l'annuaire.") % {"name": partner.name}
                )
                return redirect(safe_next(request) or "coordination:partner_list")
    return render(
        request,
        "coordination/partner_form.html",
        {"form": form, "partner": None, "next": safe_next(request) or ""},
        status=status,
    )


@login_required
@idempotent
def partner_edit(request, partner_id):
    partner = get_object_or_404(partners_visible_to(user=request.user), public_id=partner_id)
    organisations = partner_manager_organisations(request.user)
    if partner.organisation_id not in {o.pk for o in organisations}:
        return denied(
            request, _("Votre profession ne peut pas modifier ce partenaire."), obj=partner
        )
    form = PartnerForm(request.POST or None, instance=partner, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.partner_update(
                    acting_user=request.user,
                    partner=partner,
                    expected_version=data["version"],
                    **{f: data[f] for f in services.PARTNER_EDITABLE_FIELDS},
                )
            except ValidationError as error:
                status = 409 if getattr(error, "code", None) == "stale_version" else 400
                add_service_errors(form, error)
            else:
                messages.success(request, _("Partenaire modifié."))
                return redirect(safe_next(request) or "coordination:partner_list")
    return render(
        request,
        "coordination/partner_form.html",
        {"form": form, "partner": partner, "next": safe_next(request) or ""},
        status=status,
    )


# The directory holds no person's data (a GP's phone number is no one's record): being
# assigned in the organisation is the whole check to read it (partners_visible_to), and the
# writes are checked by the services (may_manage_partners), refusals journaled.
for _view in (partner_list, partner_create, partner_edit):
    _view.access_checked = True
