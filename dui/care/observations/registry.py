"""What the observations part plugs into the shell (called from CareConfig.ready()): the
« Constantes » tab of the record, the header badge of open care alerts, « Ma journée »'s to-do
and per-person facts, the menu entries of step 5 « Soigner », the merged models and the
history source."""

from django.utils.translation import gettext_lazy as _


def _writes_care(request) -> bool:
    from dui.access.models import InformationCategory
    from dui.access.policy import user_rights_in

    assignment = getattr(request, "assignment", None)
    if not assignment:
        return False
    return user_rights_in(request.user, assignment.establishment_id)[InformationCategory.CARE][1]


def _reads_care(request) -> bool:
    from dui.access.models import InformationCategory
    from dui.access.policy import user_rights_in

    assignment = getattr(request, "assignment", None)
    if not assignment:
        return False
    return user_rights_in(request.user, assignment.establishment_id)[InformationCategory.CARE][0]


def _sets_care(request) -> bool:
    from .settings import may_set_care_settings

    assignment = getattr(request, "assignment", None)
    return bool(assignment) and may_set_care_settings(request.user, assignment.establishment)


def register() -> None:
    from dui.access.models import InformationCategory
    from dui.core.home import register_person_facts, register_todo
    from dui.core.navigation import Entry, register_tool
    from dui.core.navigation import register as register_entry
    from dui.people.history import HistorySource, register_history
    from dui.people.record import Section, register_badges, register_section
    from dui.people.services import register_merge_handler, register_merged_model

    from . import services
    from .models import Observation, UndernutritionEtiology
    from .selectors import alert_badges, alert_facts, alert_todos

    care = InformationCategory.CARE
    register_section(Section("constantes", _("Constantes"), "care:obs_list", care, order=51))
    register_badges("care.alerts", alert_badges)
    register_person_facts("care.alerts", alert_facts)
    register_todo("care.alerts", alert_todos)
    register_entry("care", Entry(_("Tournée de mesures"), "care:obs_round", _writes_care))
    register_entry("care", Entry(_("Alertes de l'unité"), "care:obs_alerts", _reads_care))
    register_tool(Entry(_("Réglages du dossier de soins"), "care:obs_settings", _sets_care))
    for model in (Observation, UndernutritionEtiology):
        register_merged_model(model)
    register_merge_handler(services.alerts_merge)
    register_history(HistorySource("constantes", _("Constantes"), Observation, care))
