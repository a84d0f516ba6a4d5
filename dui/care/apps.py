from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "dui.care"
    verbose_name = "Soins"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.access.models import InformationCategory
        from dui.people.history import HistorySource, register_history
        from dui.people.record import Section, register_badges, register_section
        from dui.people.services import register_merged_model

        from .models import Allergy
        from .selectors import allergy_badges, allergy_facts

        register_section(
            Section("soins", _("Soins"), "care:allergies", InformationCategory.CARE, order=50)
        )
        register_badges("allergies", allergy_badges)
        # « Ma journée »: each person's allergies on the unit's day list (issue 12).
        from dui.core.home import register_person_facts

        register_person_facts("care.allergies", allergy_facts)
        register_merged_model(Allergy)
        register_history(HistorySource("soins", _("Soins"), Allergy, InformationCategory.CARE))
        # The parts of the care record, each registering its tabs, badges and home items.
        from .background.registry import register as register_background
        from .notes.registry import register as register_notes
        from .observations.registry import register as register_observations
        from .plan.registry import register as register_plan

        register_background()
        register_notes()
        register_plan()
        register_observations()
        from .incidents.registry import register as register_incidents

        register_incidents()
        from .appointments.registry import register as register_appointments

        register_appointments()
