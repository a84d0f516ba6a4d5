from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "dui.reporting"
    verbose_name = "Pilotage"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register_tool

        from .selectors import gmp_establishment_ids

        register_tool(
            Entry(_("GMP"), "reporting:gmp", lambda r: bool(gmp_establishment_ids(r.user)))
        )
