from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "dui.documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # The record's registries import its models: they load once the registry is ready.
        from dui.people.history import HistorySource, register_history
        from dui.people.record import Section, register_section
        from dui.people.services import register_merged_model

        from .models import Document

        register_section(Section("documents", _("Documents"), "documents:list", None, order=60))
        # Rows are filtered one by one on their own category ("" = no section-wide category).
        register_history(HistorySource("documents", _("Documents"), Document, ""))
        register_merged_model(Document)
