"""The Django admin writes like every other screen: each row it creates, changes or deletes
leaves a `configure` line in the access journal (DESIGN §4.3: every write is journaled), in
the admin's own transaction, and a row that carries a version is changed only from the
version its form was read at (DESIGN §4.4).

Configuration rows (organisation, establishments, units, places, review rules, users) are
about no person: the line names the row only. Bricks use `JournaledAdmin` for their
`ModelAdmin`s; inline rows are journaled through their parent's `save_formset`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import journal, writes
from .models import AccessAction

STALE = _(
    "Cette fiche a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


def journal_configure(request, obj) -> None:
    """One `configure` line for a row written from the admin. Through `journal.record`: the
    acting assignment and the address come from the request being served (an administrator
    may have no assignment at all)."""
    journal.record(user=request.user, action=AccessAction.CONFIGURE, obj=obj)


def is_versioned(model) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


class VersionedAdminForm(forms.ModelForm):
    """An admin form of a versioned row carries the version it was read at; a change made
    meanwhile by someone else is refused here, next to the form, rather than overwritten."""

    # Not named `version`: a model form may not list the model's non-editable field.
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["row_version"].required = True
            self.fields["row_version"].error_messages["required"] = writes.NO_VERSION
            self.initial.setdefault("row_version", self.instance.version)

    def clean(self):
        data = super().clean()
        version = data.get("row_version")
        if self.instance.pk is not None and version is not None:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != version:
                raise ValidationError(STALE, code="stale_version")
        return data


class JournaledAdmin:
    """Mix into a `ModelAdmin`: every create, change and delete is journaled; a versioned
    row is locked and checked against the form's version, then moves to its next version."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if is_versioned(self.model) and not issubclass(
            kwargs.get("form", self.form), VersionedAdminForm
        ):
            kwargs["form"] = type(
                f"Versioned{self.form.__name__}", (VersionedAdminForm, self.form), {}
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if is_versioned(self.model) and "row_version" not in fields:
            fields.append("row_version")
        return fields

    def save_model(self, request, obj, form, change):
        if change and is_versioned(self.model):
            # The row as it is now, locked until the admin's transaction ends: the check of
            # the form's clean() cannot be overtaken by a concurrent save.
            writes.lock(obj, expected_version=form.cleaned_data.get("row_version"))
            obj.version += 1
        if hasattr(obj, "updated_by_id"):
            if not change and hasattr(obj, "created_by_id"):
                obj.created_by = request.user
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        journal_configure(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in [*formset.new_objects, *(o for o, _fields in formset.changed_objects)]:
            journal_configure(request, obj)
        for obj in formset.deleted_objects:
            journal_configure(request, obj)

    def delete_model(self, request, obj):
        journal_configure(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            journal_configure(request, obj)
        super().delete_queryset(request, queryset)
