from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "dui.admissions"
    verbose_name = "Admissions"
