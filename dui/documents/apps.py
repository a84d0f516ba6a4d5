from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dui.documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dui.people.history import HistorySource, register_history
        from dui.people.record import Section, register_section

        from .models import Document

        register_section(Section("documents", _("Documents"), "documents:list", None, order=60))
        # Rows are filtered one by one on their own category ("" = no section-wide category).
        register_history(HistorySource("documents", _("Documents"), Document, ""))

        from dui.people.services import register_merged_model

        register_merged_model(Document)
