"""Plugs external care into the shell's registries (called from CareConfig.ready()): the
record's « Rendez-vous » tab (care category), the unit's agenda in the menu (step 5
« Soigner »), « Ma journée », the merge of records, the history."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from dui.access.models import InformationCategory
    from dui.core.home import register_person_facts, register_todo
    from dui.core.navigation import Entry
    from dui.core.navigation import register as register_entry
    from dui.people.history import HistorySource, register_history
    from dui.people.record import Section, register_section

    from . import home, views
    from .models import Appointment

    register_section(
        Section(
            "rendez-vous",
            _("Rendez-vous"),
            "care:appointments_list",
            InformationCategory.CARE,
            order=53,
        )
    )
    register_entry(
        "care", Entry(_("Agenda de l'unité"), "care:appointments_agenda", views.reads_agenda)
    )
    register_todo("care.appointments.today", home.today_appointments_todo)
    register_person_facts("care.appointments.today", home.today_appointment_facts)
    # Appointments follow their event (dui.support registers Event for the merge); their
    # history holds the follow-up (medical): listed to who reads medical.
    register_history(
        HistorySource(
            "rendez-vous",
            _("Rendez-vous"),
            Appointment,
            InformationCategory.MEDICAL,
            person_lookup="event__person",
        )
    )
