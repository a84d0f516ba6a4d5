from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Assignment, Profession, SecondFactorExemption, User


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["establishment", "unit", "role", "start_date", "end_date"]
    fk_name = "user"


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
