"""What the background plugs into the shell (called from CareConfig.ready): the « Antécédents »
tab (medical: only those who read medical see it), merged models and history sources."""


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from dui.access.models import InformationCategory
    from dui.people.history import HistorySource, register_history
    from dui.people.record import Section, register_section
    from dui.people.services import register_merge_handler, register_merged_model

    from . import services
    from .models import (
        AdvanceDirective,
        AllergyStatement,
        DietPlan,
        MedicalHistory,
        PersonDevice,
        Vaccination,
    )

    register_section(
        Section(
            "antecedents",
            _("Antécédents"),
            "care:background_medical",
            InformationCategory.MEDICAL,
            order=52,
        )
    )
    for model in (
        MedicalHistory,
        Vaccination,
        PersonDevice,
        DietPlan,
        AdvanceDirective,
    ):
        register_merged_model(model)
    register_merge_handler(services.allergy_statements_merge)
    register_history(
        HistorySource("antecedents", _("Antécédents"), MedicalHistory, InformationCategory.MEDICAL)
    )
    register_history(
        HistorySource("antecedents", _("Antécédents"), Vaccination, InformationCategory.MEDICAL)
    )
    register_history(HistorySource("soins", _("Soins"), PersonDevice, InformationCategory.CARE))
    register_history(HistorySource("soins", _("Soins"), DietPlan, InformationCategory.CARE))
    register_history(
        HistorySource(
            "soins",
            _("Soins"),
            AdvanceDirective,
            InformationCategory.CARE,
        )
    )
    register_history(
        HistorySource(
            "soins",
            _("Soins"),
            AllergyStatement,
            InformationCategory.CARE,
        )
    )
