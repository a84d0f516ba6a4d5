from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dui.access import journal
from dui.access.models import AccessAction

from . import services
from .models import Assignment, Profession, SecondFactorExemption, User


class AssignmentInline(admin.TabularInline):
    """Assignments open access to persons: they end (end date), they are never deleted."""

    model = Assignment
    extra = 0
    fields = ["establishment", "unit", "role", "start_date", "end_date"]
    fk_name = "user"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
        # Each created or changed assignment is journaled like the assignment services do.
        for assignment in formset.save(commit=False):
            if assignment.pk is None:
                assignment.created_by = request.user
            assignment.updated_by = request.user
            assignment.save()
            journal.record_from_request(request, action=AccessAction.CONFIGURE, obj=assignment)
        formset.save_m2m()

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
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["label", "code"]


@admin.register(SecondFactorExemption)
class SecondFactorExemptionAdmin(admin.ModelAdmin):
    """Read-only here: exemptions are granted by a director through the service (journaled)."""

    list_display = ["establishment", "profession", "created_at", "revoked_at"]
    readonly_fields = ["establishment", "profession", "reason", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
