from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "dui.stays"
    verbose_name = "Séjours"

    def ready(self) -> None:
        from dui.people.services import register_merge_handler

        from .services import stays_reassign

        register_merge_handler(stays_reassign)
