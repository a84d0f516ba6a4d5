"""What the care plan plugs into the shell (called from `CareConfig.ready()`): the menu entry
« Soins du jour » (step 5 « Soigner »), the home page's items, merged persons, history."""


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from dui.access.models import InformationCategory
    from dui.core.home import register_person_facts, register_todo
    from dui.core.navigation import Entry
    from dui.core.navigation import register as register_entry
    from dui.people.history import HistorySource, register_history
    from dui.people.services import register_merged_model

    from .home import care_task_facts, care_task_todos
    from .models import CarePlanLine, CareTask
    from .views import may_see_tasks

    register_entry("care", Entry(_("Soins du jour"), "care:plan_tasks", may_see_tasks))
    register_todo("care.plan", care_task_todos)
    register_person_facts("care.plan", care_task_facts)
    register_merged_model(CarePlanLine)
    register_merged_model(CareTask)
    register_history(HistorySource("soins", _("Soins"), CarePlanLine, InformationCategory.CARE))
