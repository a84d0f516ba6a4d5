from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "dui.stays"
    verbose_name = "Séjours"

    def ready(self) -> None:
        from dui.people.services import register_merged_model

        from .models import Stay

        register_merged_model(Stay)

        # Issue 4, step 3: occupancy in the « Admettre » step (the welcome checklist tab is
        # the admissions brick's).
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register

        from .views import may_see_occupancy

        register("admit", Entry(_("Occupation"), "stays:occupancy", may_see_occupancy))
