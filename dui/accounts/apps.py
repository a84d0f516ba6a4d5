from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dui.accounts"
    label = "accounts"
    verbose_name = "Professionnels"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register_tool

        def directs(request):
            return bool(request.assignment) and request.assignment.role == "director"

        def manages_second_factors(request):
            return bool(request.assignment) and request.assignment.role in ("director", "admin")

        register_tool(
            Entry(_("Second facteur : exemptions"), "accounts:second_factor_exemptions", directs)
        )
        register_tool(
            Entry(
                _("Second facteur : professionnels"),
                "accounts:second_factor_professionals",
                manages_second_factors,
            )
        )
