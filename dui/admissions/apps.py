from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "dui.admissions"
    verbose_name = "Admissions"

    def ready(self) -> None:
        # Step 1 and the pipeline screens (views_inquiries.py, views_pipeline.py).
        from django.utils.translation import gettext_lazy as _inq

        from dui.core.navigation import Entry as _InqEntry
        from dui.core.navigation import register as _inq_register

        _inq_register(
            "inform",
            _InqEntry(
                _inq("Demandes à relancer"), "admissions:inquiry_list", lambda r: bool(r.assignment)
            ),
        )
        _inq_register(
            "inform",
            _InqEntry(
                _inq("Nouvelle demande de renseignement"),
                "admissions:inquiry_new",
                lambda r: bool(r.assignment),
            ),
        )
        _inq_register(
            "pre_admit",
            _InqEntry(
                _inq("Demandes d'admission"),
                "admissions:pipeline_board",
                lambda r: bool(r.assignment),
            ),
        )
        _inq_register(
            "pre_admit",
            _InqEntry(
                _inq("Liste d'attente"), "admissions:waiting_list", lambda r: bool(r.assignment)
            ),
        )
        # Letters, letter templates and the contract (letters.py, views_letters.py).
        from django.utils.translation import gettext_lazy as _let

        from dui.access.models import InformationCategory as _LetCategory
        from dui.core.navigation import Entry as _LetEntry
        from dui.core.navigation import register as _let_register
        from dui.people.record import Section as _LetSection
        from dui.people.record import register_section as _let_register_section

        def _edits_letters(r) -> bool:
            # The menu entry for the direction (no query: the assignment is cached); the
            # secretary reaches the templates from the letters page.
            return bool(r.assignment) and r.assignment.role == "director"

        _let_register(
            "pre_admit",
            _LetEntry(
                _let("Modèles de courrier"),
                "admissions:letter_templates",
                _edits_letters,
            ),
        )
        _let_register(
            "admit",
            _LetEntry(
                _let("Contrats non signés"),
                "admissions:contracts_overdue",
                lambda r: bool(r.assignment),
            ),
        )
        _let_register_section(
            _LetSection(
                "contrat",
                _let("Contrat"),
                "admissions:contract",
                _LetCategory.ADMINISTRATIVE,
                order=36,
            )
        )
