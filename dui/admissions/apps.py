from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dui.core.navigation import Entry, register
from dui.people.record import Section, register_section


class AdmissionsConfig(AppConfig):
    name = "dui.admissions"
    verbose_name = "Admissions"

    def ready(self) -> None:
        # Models (and the views that import them) are importable once the apps are loaded.
        from dui.access.models import InformationCategory

        from .views.inquiries import may_handle_inquiries_here

        def assigned(request) -> bool:
            return bool(request.assignment)

        def edits_letters(request) -> bool:
            # The menu entry for the direction (no query: the assignment is cached); the
            # secretary reaches the templates from the letters page.
            return bool(request.assignment) and request.assignment.role == "director"

        # Step 1: inquiries, for those who handle them.
        register(
            "inform",
            Entry(_("Demandes à relancer"), "admissions:inquiry_list", may_handle_inquiries_here),
        )
        register(
            "inform",
            Entry(
                _("Nouvelle demande de renseignement"),
                "admissions:inquiry_new",
                may_handle_inquiries_here,
            ),
        )
        # Step 2: the pipeline and the waiting list (persons the user may see), the letters.
        register(
            "pre_admit", Entry(_("Demandes d'admission"), "admissions:pipeline_board", assigned)
        )
        register("pre_admit", Entry(_("Liste d'attente"), "admissions:waiting_list", assigned))
        register(
            "pre_admit",
            Entry(_("Modèles de courrier"), "admissions:letter_templates", edits_letters),
        )
        register(
            "pre_admit",
            Entry(_("Réglages des admissions"), "admissions:admission_settings", edits_letters),
        )
        # Step 3: contracts not signed in time; the welcome checklist and the contract as tabs
        # of the record.
        register("admit", Entry(_("Contrats en retard"), "admissions:contracts_overdue", assigned))
        register("admit", Entry(_("Grille tarifaire"), "admissions:price_lists", edits_letters))
        # « Ma journée » (issue 12): inquiries, applications, decisions, opinions, contracts.
        from dui.core.home import Panel, register_panel, register_todo

        from .home import admission_todos, contracts_panel

        register_todo("admissions", admission_todos)
        register_panel(
            Panel("admissions.contracts", "admissions/home/contracts.html", contracts_panel, 30)
        )
        register_section(
            Section(
                "accueil",
                _("Accueil"),
                "admissions:welcome",
                InformationCategory.ADMINISTRATIVE,
                order=35,
            )
        )
        register_section(
            Section(
                "contrat",
                _("Contrat"),
                "admissions:contract",
                InformationCategory.ADMINISTRATIVE,
                order=36,
            )
        )
