from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "dui.stays"
    verbose_name = "Séjours"

    def ready(self) -> None:
        from dui.people.services import register_merged_model

        from .models import Stay

        register_merged_model(Stay)

        # The record's header and search ask the pathway where a person is (issue 9: the
        # record does not import stays).
        from dui.people.placement import register_header_placement, register_room_lookup

        from .selectors import header_placement_of, room_occupant_ids

        register_header_placement(header_placement_of)
        register_room_lookup(room_occupant_ids)

        # Issue 4, step 3: occupancy in the « Admettre » step (the welcome checklist tab is
        # the admissions brick's).
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register

        from .views import may_see_occupancy

        register("admit", Entry(_("Occupation"), "stays:occupancy", may_see_occupancy))
