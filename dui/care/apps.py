from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "dui.care"
    verbose_name = "Soins"
