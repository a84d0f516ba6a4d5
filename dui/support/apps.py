from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Accompagner (step 6): for now the one dated `Event` (TDDUI « Évènement ») that external
    care, activity sessions, meetings and visits hang on; the projet personnalisé comes later."""

    name = "dui.support"
    label = "support"
    verbose_name = "Accompagnement"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.access.models import InformationCategory
        from dui.people.history import HistorySource, register_history
        from dui.people.services import register_merged_model

        from .models import Event

        register_merged_model(Event)
        # The dated part of an event (when, where, status) is care information: the night
        # carer must know the person leaves at 9:00. Its reason and report carry the event's
        # own category (`Event.category`), read through the bricks that show them.
        register_history(
            HistorySource("evenements", _("Évènements"), Event, InformationCategory.CARE)
        )
