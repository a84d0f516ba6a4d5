"""Plugs the targeted notes into the shell's registries (called from CareConfig.ready()): the
record's tab, the menu (step 5 « Soigner »), « Ma journée », the merge of records, the
history."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from dui.access.models import InformationCategory
    from dui.core.home import Panel, register_panel, register_person_facts, register_todo
    from dui.core.navigation import Entry
    from dui.core.navigation import register as register_entry
    from dui.people.history import HistorySource, register_history
    from dui.people.record import Section, register_section
    from dui.people.services import register_merged_model

    from . import home, views
    from .models import Note

    register_section(
        Section(
            "transmissions",
            _("Transmissions"),
            "care:notes_timeline",
            InformationCategory.CARE,
            order=51,
        )
    )
    register_entry("care", Entry(_("Relève"), "care:notes_handover", views.reads_notes))
    register_entry(
        "care",
        Entry(_("Cibles des transmissions"), "care:notes_focuses", views.may_manage_focuses),
    )
    register_todo("care.notes.unread_important", home.unread_important_todos)
    register_person_facts("care.notes.unread_important", home.unread_important_facts)
    register_panel(
        Panel("care.notes.handover", "care/notes/home_handover.html", home.handover_panel, order=30)
    )
    register_merged_model(Note)
    # Per-row category: each note is listed only to those who read its category.
    register_history(HistorySource("transmissions", _("Transmissions"), Note, ""))
