from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "dui.access"
    label = "access"
    verbose_name = "Accès et traçabilité"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.core.navigation import Entry, register_tool

        from . import permissions  # noqa: F401  (registers the django-rules permissions)
        from .policy import management_establishment_ids

        def manages(request):
            return bool(management_establishment_ids(request.user))

        def directs(request):
            return bool(request.assignment) and request.assignment.role == "director"

        register_tool(Entry(_("Accès exceptionnels"), "access:break_glass_review_list", manages))
        register_tool(Entry(_("Journal des accès"), "access:professional_list", manages))
        register_tool(Entry(_("Droits par profession"), "access:category_matrix", directs))

        from dui.core.home import register_todo

        from .home import review_todos

        register_todo("access.review", review_todos)
