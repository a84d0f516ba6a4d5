from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dui.documents"
    verbose_name = "Documents"
