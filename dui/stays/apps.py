from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "dui.stays"
    verbose_name = "Séjours"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.access.models import InformationCategory
        from dui.core.navigation import Entry, register
        from dui.people.history import HistorySource, register_history
        from dui.people.placement import register_header_placement, register_room_lookup
        from dui.people.record import Section, register_section
        from dui.people.services import register_merged_model

        from .models import Attendance, Stay
        from .selectors import header_placement_of, room_occupant_ids
        from .views import may_see_occupancy

        register_merged_model(Stay)
        register_merged_model(Attendance)

        # The record's header and search ask the pathway where a person is (issue 9: the
        # record does not import stays).
        register_header_placement(header_placement_of)
        register_room_lookup(room_occupant_ids)

        # Issue 4, step 3: occupancy in the « Admettre » step (the welcome checklist tab is
        # the admissions brick's).
        register("admit", Entry(_("Occupation"), "stays:occupancy", may_see_occupancy))

        # « Ma journée » (issue 12): the unit's day list (present, absent, expected) and the
        # director's figures of the day.
        from dui.core.home import Panel, register_panel

        from .home import day_list_panel, figures_panel

        register_panel(
            Panel(
                "stays.day_list",
                "stays/home/day_list.html",
                day_list_panel,
                order=40,
                replaces="people.persons",
            )
        )
        register_panel(Panel("stays.figures", "stays/home/figures.html", figures_panel, order=20))

        # Issue 11: the presence/absence record, a tab of the record (administrative).
        register_section(
            Section(
                "presences",
                _("Présences et absences"),
                "stays:attendance",
                InformationCategory.ADMINISTRATIVE,
                order=37,
            )
        )
        register_history(
            HistorySource(
                "presences",
                _("Présences et absences"),
                Attendance,
                InformationCategory.ADMINISTRATIVE,
            )
        )
