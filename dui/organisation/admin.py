"""The organisation's configuration is entered in the admin; every write there is journaled
(`JournaledAdmin`: action `configure`, the row, no person) and checked against the version
its form was read at."""

from django.contrib import admin

from dui.access.admin import JournaledAdmin

from .forms import EstablishmentForm
from .models import Establishment, EstablishmentCapacity, Organisation, Place, Unit


class EstablishmentCapacityInline(admin.TabularInline):
    model = EstablishmentCapacity
    extra = 0


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(JournaledAdmin, admin.ModelAdmin):
    list_display = ["name", "siren"]
    search_fields = ["name", "siren"]


@admin.register(Establishment)
class EstablishmentAdmin(JournaledAdmin, admin.ModelAdmin):
    form = EstablishmentForm
    list_display = ["name", "finess", "category", "organisation", "city", "time_zone"]
    list_filter = ["category", "organisation"]
    search_fields = ["name", "finess", "city"]
    inlines = [EstablishmentCapacityInline, UnitInline]


@admin.register(Unit)
class UnitAdmin(JournaledAdmin, admin.ModelAdmin):
    list_display = ["name", "establishment"]
    list_filter = ["establishment"]
    search_fields = ["name"]


@admin.register(Place)
class PlaceAdmin(JournaledAdmin, admin.ModelAdmin):
    list_display = ["label", "unit", "establishment", "kind", "is_active"]
    list_filter = ["establishment", "kind", "is_active"]
    search_fields = ["label", "unit__name"]
    list_select_related = ["unit", "establishment"]
