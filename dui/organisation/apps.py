from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "dui.organisation"
    label = "organisation"
    verbose_name = "Organisation"
