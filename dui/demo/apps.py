from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dui.demo"
    label = "demo"
    verbose_name = "Démonstration et mesures"
