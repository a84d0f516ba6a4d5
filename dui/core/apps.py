from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dui.core"
    label = "core"
    verbose_name = "Socle"
