"""Identity pages: open a record (with the duplicate check), the identity tab, corrections,
identity document checks, INS, merge, and the history of changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dui.access.decorators import person_data_view, person_view
from dui.access.models import InformationCategory
from dui.access.policy import management_establishment_ids, persons_visible_to
from dui.access.refusals import denied
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import requested_page
from dui.documents.models import DocumentKind
from dui.documents.selectors import documents_of_kind

from .. import services
from ..duplicates import probable_duplicates
from ..forms import EvidenceForm, IdentityEditForm, InsForm, MergeForm, PersonCreateForm
from ..history import record_history
from ..models import IdentityStatus
from ..record_page import render_record
from ..selectors import evidence_guarantors, identity_evidence_of

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE


def _establishment(request):
    assignment = getattr(request, "assignment", None)
    return assignment.establishment if assignment else None


@login_required
@person_data_view
@idempotent
def person_create(request):
    """Open the record of a new person. Probable duplicates (scoped to the user's organisations)
    are shown and must be dismissed with a reason."""
    establishment = _establishment(request)
    if not services.may_create_person(request.user, establishment):
        return denied(request, services.NOT_OPENED_HERE)
    form = PersonCreateForm(request.POST or None, establishment=establishment)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                acting_user=request.user,
                establishment=establishment,
                data=form.identity_data(),
                duplicate_reason=form.cleaned_data["duplicate_reason"],
                unit=form.cleaned_data["unit"],
            )
        except services.ProbableDuplicates as duplicates:
            matches = duplicates.matches
            form.add_error("duplicate_reason", duplicates.messages)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Dossier de %(name)s ouvert (identité provisoire).")
                % {"name": person.display_name},
            )
            return redirect("people:identity", person_id=person.public_id)
    visible = set()
    if matches:
        visible = set(
            persons_visible_to(user=request.user)
            .filter(pk__in=[m.person.pk for m in matches])
            .values_list("pk", flat=True)
        )
    return render(
        request,
        "people/person_create.html",
        {"form": form, "matches": matches, "visible_ids": visible, "establishment": establishment},
        status=form_status(request),
    )


@login_required
@person_view(category=ADMINISTRATIVE)
def identity(request, person_id):
    person = request.person
    return render_record(
        request,
        "people/identity.html",
        {
            "evidence": identity_evidence_of(person=person),
            "can_write": request.person_access.can_write(ADMINISTRATIVE),
            "ins_service": services.identity_service(),
            "next_step": _next_step(person),
            "can_merge": bool(
                request.person_access.can_write(ADMINISTRATIVE)
                and management_establishment_ids(request.user)
                and _merge_candidates(request, person)
            ),
        },
        section="identity",
    )


def _next_step(person) -> str:
    return {
        IdentityStatus.PROVISIONAL: _(
            "Pour valider l'identité, contrôlez une pièce d'identité à haut niveau de confiance "
            "(passeport, carte d'identité, titre de séjour) ; pour la qualifier, récupérez aussi l'INS."
        ),
        IdentityStatus.RETRIEVED: _(
            "INS récupéré : contrôlez une pièce d'identité à haut niveau de confiance pour qualifier l'identité."
        ),
        IdentityStatus.VALIDATED: _(
            "Identité validée : récupérez l'INS par le téléservice INSi pour la qualifier."
        ),
        IdentityStatus.QUALIFIED: _(
            "Identité qualifiée : l'INS peut être utilisé et partagé. Toute correction d'un trait strict "
            "la fera repasser en provisoire."
        ),
    }[person.identity_status]


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def identity_edit(request, person_id):
    person = request.person
    form = IdentityEditForm(
        request.POST or None,
        person=person,
        initial={**IdentityEditForm.initial_for(person), "version": person.version},
    )
    if request.method == "POST" and form.is_valid():
        changed_strict = form.changed_strict_traits()
        try:
            services.identity_update(
                acting_user=request.user,
                person=person,
                data=form.identity_data(),
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Identité enregistrée."))
            person.refresh_from_db()
            if changed_strict and _merge_candidates(request, person):
                # A corrected identity may now be that of another record (RNIV: look again).
                messages.warning(
                    request,
                    _(
                        "Après cette correction, l'identité ressemble à celle d'un autre dossier : "
                        "vérifiez qu'il ne s'agit pas d'un doublon (bouton « Fusionner »)."
                    ),
                )
            return redirect("people:identity", person_id=person.public_id)
    return render_record(
        request,
        "people/identity_edit.html",
        {"form": form},
        section="identity",
        status=form_status(request),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def identity_evidence(request, person_id):
    person = request.person
    form = EvidenceForm(
        request.POST or None,
        documents=documents_of_kind(
            person=person, kind=DocumentKind.IDENTITY, access=request.person_access
        ),
        guarantors=evidence_guarantors(person=person),
        initial={"checked_on": dates.today(), "version": person.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_evidence_record(
                acting_user=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                establishment=_establishment(request),
                **form.evidence_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            person.refresh_from_db()
            messages.success(
                request,
                _("Contrôle enregistré. Statut de l'identité : %(status)s.")
                % {"status": person.get_identity_status_display()},
            )
            return redirect("people:identity", person_id=person.public_id)
    return render_record(
        request,
        "people/identity_evidence.html",
        {"form": form},
        section="identity",
        status=form_status(request),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def identity_ins(request, person_id):
    person = request.person
    form = InsForm(
        request.POST or None,
        initial={"version": person.version, "retrieved_on": dates.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Asked today: now; asked another day: that day (its hour is not known).
        retrieved_at = (
            dates.now()
            if data["retrieved_on"] == dates.today()
            else dates.start_of_day(data["retrieved_on"])
        )
        try:
            services.ins_record(
                acting_user=request.user,
                person=person,
                ins_number=data["ins_number"],
                ins_oid=data["ins_oid"],
                retrieved_at=retrieved_at,
                traits_match=data["traits_match"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            person.refresh_from_db()
            messages.success(
                request,
                _("INS enregistré. Statut de l'identité : %(status)s.")
                % {"status": person.get_identity_status_display()},
            )
            return redirect("people:identity", person_id=person.public_id)
    return render_record(
        request,
        "people/identity_ins.html",
        {"form": form, "ins_service": services.identity_service()},
        section="identity",
        status=form_status(request),
    )


def _merge_candidates(request, person) -> list:
    """Probable duplicates of this person among the records the user may open."""
    return [
        m.person
        for m in probable_duplicates(
            candidates=persons_visible_to(user=request.user),
            birth_date=person.birth_date,
            birth_date_precision=person.birth_date_precision,
            birth_name=person.birth_name,
            used_name=person.used_name,
            first_names=person.first_names,
            first_birth_first_name=person.first_first_name,
            exclude_pk=person.pk,
        )
    ]


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def person_merge(request, person_id):
    person = request.person
    candidates = [
        p for p in _merge_candidates(request, person) if services.may_merge(request.user, person, p)
    ]
    form = MergeForm(
        request.POST or None, candidates=candidates, initial={"version": person.version}
    )
    if request.method == "POST" and form.is_valid():
        merged = form.candidates[form.cleaned_data["merged"]]
        try:
            services.person_merge(
                acting_user=request.user,
                kept=person,
                merged=merged,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Le dossier de %(merged)s a été fusionné dans celui-ci ; son historique reste consultable."
                )
                % {"merged": merged.display_name},
            )
            return redirect("people:identity", person_id=person.public_id)
    return render_record(
        request,
        "people/person_merge.html",
        {"form": form, "candidates": candidates},
        section="identity",
        status=form_status(request),
    )


@login_required
@person_view()
def history(request, person_id):
    """History of changes, per section of the record the user may read: 200 changes per source
    and page, older and newer links. A page past the oldest change is a 404 (no link leads
    there)."""
    page = requested_page(request)
    sections = record_history(person=request.person, access=request.person_access, page=page)
    if page > 1 and not any(s.entries for s in sections):
        raise Http404(_("Il n'y a pas de modifications plus anciennes."))
    wanted = request.GET.get("partie")
    current = next((s for s in sections if s.key == wanted), sections[0] if sections else None)
    return render_record(
        request,
        "people/history.html",
        {"history_sections": sections, "current": current, "page": page},
        section="history",
    )
