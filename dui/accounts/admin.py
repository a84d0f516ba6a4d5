from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dui.access.admin import JournaledAdmin, VersionedAdminForm

from . import services
from .models import Assignment, Profession, SecondFactorExemption, User


class AssignmentAdminForm(VersionedAdminForm):
    """An assignment row of the user page carries the version it was read at, like every
    form that changes a row (the service checks it again under lock)."""

    class Meta:
        model = Assignment
        fields = ["establishment", "unit", "role", "start_date", "end_date"]


class AssignmentInline(admin.TabularInline):
    """Assignments open access to persons: they end (end date), they are never deleted."""

    model = Assignment
    form = AssignmentAdminForm
    extra = 0
    fields = ["establishment", "unit", "role", "start_date", "end_date", "row_version"]
    fk_name = "user"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(JournaledAdmin, BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "profession", "is_active", "is_demo"]
    list_filter = ["profession", "is_active", "is_demo", "is_staff"]
    list_select_related = ["profession"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Profession"), {"fields": ["profession", "rpps", "adeli", "is_demo"]}),
    ]
    inlines = [AssignmentInline]
    actions = ["end_sessions"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        # Assignments are written by the accounts services, as from any other screen: the
        # same rights (direction or administration of the establishment, or a superuser), the
        # same version check, the same journal line. The admin's change message reads what
        # `formset.save()` would have listed.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or not row.is_valid():
                continue
            data = {name: row.cleaned_data.get(name) for name in services.ASSIGNMENT_FIELDS}
            if row.instance.pk is None:
                row.instance = services.assignment_create(
                    acting_user=request.user, user=formset.instance, **data
                )
                formset.new_objects.append(row.instance)
            else:
                row.instance = services.assignment_update(
                    acting_user=request.user,
                    assignment=row.instance,
                    data=data,
                    expected_version=row.cleaned_data.get("row_version"),
                )
                formset.changed_objects.append((row.instance, row.changed_data))
        return None

    @admin.action(description=_("Fermer toutes les sessions de ces professionnels"))
    def end_sessions(self, request, queryset):
        for user in queryset:
            services.user_end_sessions(acting_user=request.user, user=user)
        self.message_user(
            request,
            _("%(n)s professionnel(s) déconnecté(s) de tous leurs appareils.")
            % {"n": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(Profession)
class ProfessionAdmin(JournaledAdmin, admin.ModelAdmin):
    list_display = ["label", "code"]


@admin.register(SecondFactorExemption)
class SecondFactorExemptionAdmin(admin.ModelAdmin):
    """Read-only here: exemptions are granted by a director through the service (journaled)."""

    list_display = ["establishment", "profession", "created_at", "revoked_at"]
    readonly_fields = ["establishment", "profession", "reason", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
