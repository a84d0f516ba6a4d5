from django.contrib import admin

from dui.access.admin import JournaledAdmin

from .models import ReviewRule


@admin.register(ReviewRule)
class ReviewRuleAdmin(JournaledAdmin, admin.ModelAdmin):
    """Re-assessment frequencies per establishment (the defaults are in reviews.DEFAULT_RULES).
    Each change is journaled and checked against the version its form was read at."""

    list_display = ("establishment", "instrument_code", "interval_days", "at_admission_days")
    list_filter = ("establishment",)
    search_fields = ("instrument_code",)
