from django.contrib import admin

from .models import ReviewRule


@admin.register(ReviewRule)
class ReviewRuleAdmin(admin.ModelAdmin):
    """Re-assessment frequencies per establishment (the defaults are in reviews.DEFAULT_RULES)."""

    list_display = ("establishment", "instrument_code", "interval_days", "at_admission_days")
    list_filter = ("establishment",)
    search_fields = ("instrument_code",)
