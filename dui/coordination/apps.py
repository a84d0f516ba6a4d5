from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "dui.coordination"
    verbose_name = "Coordination et partenaires"
