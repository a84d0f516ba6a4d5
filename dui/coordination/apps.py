from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "dui.coordination"
    verbose_name = "Coordination et partenaires"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register_tool

        register_tool(Entry(_("Partenaires"), "coordination:partner_list"))
