"""« Accès exceptionnel » from the search (issue 12, item 4): see `people.break_glass_search`.

The page asks the exact identity and the reason; the access layer grants (or refuses, with a
journaled French reason) through `access.services.break_glass_open`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.access import journal
from dui.access import services as access_services
from dui.access.policy import persons_visible_to
from dui.access.refusals import denied
from dui.core.forms import DateInput, form_status
from dui.core.idempotency import idempotent

from ..break_glass_search import may_break_glass, person_by_exact_identity

NOT_ALLOWED = gettext_lazy(
    "L'accès exceptionnel est réservé aux professions qui lisent les soins ou le dossier "
    "médical ; la vôtre n'en lit aucun."
)
NO_EXACT_MATCH = gettext_lazy(
    "Aucune personne suivie par votre organisme ne correspond exactement à cette identité "
    "(nom de naissance, premier prénom de naissance et date de naissance) : aucun accès "
    "n'a été ouvert."
)


class IdentityBreakGlassForm(forms.Form):
    birth_name = forms.CharField(label=gettext_lazy("Nom de naissance"), max_length=100)
    first_name = forms.CharField(label=gettext_lazy("Premier prénom de naissance"), max_length=100)
    birth_date = forms.DateField(label=gettext_lazy("Date de naissance"), widget=DateInput)
    reason = forms.CharField(
        label=gettext_lazy("Motif de l'accès exceptionnel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Ce motif est enregistré et sera revu par la direction."),
    )


@login_required
@idempotent
def break_glass_by_identity(request):
    """GET: the form (the search's words are not carried over: the identity is typed in full).
    POST: the exact identity singles out one person of the organisation, then the access layer
    opens the emergency access (its own checks, journal and review)."""
    if not may_break_glass(request.user):
        return denied(request, NOT_ALLOWED)
    form = IdentityBreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = person_by_exact_identity(
            user=request.user,
            birth_name=data["birth_name"],
            first_name=data["first_name"],
            birth_date=data["birth_date"],
        )
        if person is None:
            return denied(request, NO_EXACT_MATCH)
        if persons_visible_to(user=request.user).filter(pk=person.pk).exists():
            # Already within the user's rules: no emergency access, the record opens.
            return redirect("people:record", person_id=person.public_id)
        try:
            access_services.break_glass_open(
                acting_user=request.user,
                person=person,
                reason=data["reason"],
                ip_address=journal.client_ip(request),
            )
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.warning(
                request,
                _("Accès exceptionnel ouvert : il est tracé et sera revu par la direction."),
            )
            return redirect("people:record", person_id=person.public_id)
    return render(
        request,
        "people/break_glass_search.html",
        {"form": form},
        status=form_status(request),
    )


# Access is checked here and by `access.services.break_glass_open` (the person is outside the
# user's rules by definition); an AccessDenied of the service goes to handler403, journaled.
break_glass_by_identity.access_checked = True
