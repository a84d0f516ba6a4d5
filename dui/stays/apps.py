from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "dui.stays"
    verbose_name = "Séjours"
