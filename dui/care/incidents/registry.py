"""What falls and wounds plug into the shell (called from CareConfig.ready()): the « Chutes et
plaies » section of the record, the header badge of open wounds, « Ma journée »'s facts, the
menu entries of step 5 « Soigner » (« Déclarer une chute » goes through a person's record; the
unit's « Plaies en cours »), merged models and history sources."""

from django.utils.translation import gettext_lazy as _


def _reads_care(request) -> bool:
    from dui.access.models import InformationCategory
    from dui.access.policy import user_rights_in

    assignment = getattr(request, "assignment", None)
    if not assignment:
        return False
    return user_rights_in(request.user, assignment.establishment_id)[InformationCategory.CARE][0]


def register() -> None:
    from dui.access.models import InformationCategory
    from dui.core.home import register_person_facts
    from dui.core.navigation import Entry
    from dui.core.navigation import register as register_entry
    from dui.people.history import HistorySource, register_history
    from dui.people.record import Section, register_badges, register_section
    from dui.people.services import register_merged_model

    from .home import incident_badges, incident_facts
    from .models import Fall, Wound, WoundAssessment

    care = InformationCategory.CARE
    register_section(
        Section("chutes_plaies", _("Chutes et plaies"), "care:incidents", care, order=54)
    )
    register_badges("care.wounds", incident_badges)
    register_person_facts("care.incidents", incident_facts)
    register_entry("care", Entry(_("Plaies en cours"), "care:incidents_open_wounds", _reads_care))
    # Assessments, photos and care links follow their wound: only the rows naming the person
    # move on a merge.
    for model in (Fall, Wound):
        register_merged_model(model)
    register_history(HistorySource("chutes_plaies", _("Chutes et plaies"), Fall, care))
    register_history(HistorySource("chutes_plaies", _("Chutes et plaies"), Wound, care))
    register_history(
        HistorySource(
            "chutes_plaies",
            _("Chutes et plaies"),
            WoundAssessment,
            care,
            person_lookup="wound__person",
        )
    )
