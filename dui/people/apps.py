from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dui.core.home import Panel, register_panel
from dui.core.navigation import RECORDS, Entry, register_tool


class PeopleConfig(AppConfig):
    name = "dui.people"
    label = "people"
    verbose_name = "Usagers"

    def ready(self) -> None:
        # These modules import the models: they load once the registry is ready.
        from .history import register_people_history
        from .home import alert_facts, persons_panel
        from .record import Section, register_section

        register_tool(Entry(_("Usagers"), "people:list"), group=RECORDS)
        register_panel(Panel("people.persons", "people/home_persons.html", persons_panel, order=50))
        from dui.core.home import register_person_facts

        register_person_facts("people.alerts", alert_facts)
        register_section(Section("summary", _("Synthèse"), "people:record", None, order=0))
        register_section(
            Section("identity", _("Identité"), "people:identity", "administrative", order=10)
        )
        register_section(Section("history", _("Historique"), "people:history", None, order=90))
        register_people_history()
        register_section(
            Section(
                "administrative", _("Administratif"), "people:administrative", "administrative", 30
            )
        )
        register_section(
            Section(
                "entourage",
                _("Entourage et protection"),
                "people:entourage",
                "administrative",
                order=20,
            )
        )
