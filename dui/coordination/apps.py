from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dui.core.navigation import RECORDS, Entry, register_tool


class CoordinationConfig(AppConfig):
    name = "dui.coordination"
    verbose_name = "Coordination et partenaires"

    def ready(self) -> None:
        register_tool(Entry(_("Partenaires"), "coordination:partner_list"), group=RECORDS)
