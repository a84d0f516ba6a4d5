from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dui.assessments"
    verbose_name = "Évaluations"

    def ready(self) -> None:
        # Registries of the shell and the record, fed once the apps are loaded.
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register
        from dui.people.history import HistorySource, register_history
        from dui.people.record import Section, register_badges, register_section
        from dui.people.services import register_merged_model

        from . import instruments  # noqa: F401  (registers every instrument definition)
        from .models import Assessment
        from .queue import validated_codes
        from .reviews import overdue_badges
        from .selectors import gir_badges

        register_section(
            Section("assessments", _("Évaluations"), "assessments:list", None, order=40)
        )
        register_badges("gir", gir_badges)
        # Rows are filtered one by one on their own category.
        register_history(HistorySource("assessments", _("Évaluations"), Assessment, ""))
        register_merged_model(Assessment)
        # Reviews due: the list of the unit, the header badge of each person.
        register(
            "assess",
            Entry(_("Évaluations à faire"), "assessments:due", lambda r: bool(r.assignment)),
        )
        register(
            "assess",
            Entry(
                _("Évaluations à valider"),
                "assessments:to_validate",
                lambda r: bool(r.assignment) and bool(validated_codes(r.user)),
            ),
        )
        register_badges("assessments_due", overdue_badges)
        # « Ma journée » (issue 12): the validation queue, the due counts, what is due per person.
        from dui.core.home import register_person_facts, register_todo

        from .home import assessment_todos, due_facts

        register_todo("assessments", assessment_todos)
        register_person_facts("assessments.due", due_facts)
