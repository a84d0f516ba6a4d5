"""URLs of the pathway (steps 1–3). Mounted at the site root: the pages of steps 1–2 live
under /admissions/, those of an admission and of a stay's welcome under /sejours/, next to
the stays brick's own pages (French paths, public UUIDs)."""

from django.urls import path

from .views import (
    admission,
    applications,
    configuration,
    contracts,
    inquiries,
    letters,
    pipeline,
    price_lists,
    welcome,
)
from .views import waiting_list as waiting

app_name = "admissions"

urlpatterns = [
    # Step 1: inquiries.
    path("admissions/renseignements/", inquiries.inquiry_list, name="inquiry_list"),
    path("admissions/renseignements/nouvelle/", inquiries.inquiry_new, name="inquiry_new"),
    path(
        "admissions/renseignements/<uuid:inquiry_id>/clore/",
        inquiries.inquiry_close,
        name="inquiry_close",
    ),
    path(
        "admissions/renseignements/<uuid:inquiry_id>/transformer/",
        inquiries.inquiry_convert,
        name="inquiry_convert",
    ),
    # Step 2: the pipeline, the waiting list.
    path("admissions/tableau/", pipeline.pipeline_board, name="pipeline_board"),
    path("admissions/demandes/", pipeline.pipeline_list, name="pipeline_list"),
    path("admissions/liste-attente/", waiting.waiting_list, name="waiting_list"),
    path(
        "admissions/liste-attente/regles/",
        waiting.waiting_list_policy_page,
        name="waiting_list_policy",
    ),
    path(
        "admissions/liste-attente/<uuid:application_id>/rang/",
        waiting.waiting_rank,
        name="waiting_rank",
    ),
    # Step 2: the application page and its writes.
    path(
        "admissions/demandes/<uuid:application_id>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/statut/",
        applications.application_transition,
        name="application_transition",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/pieces/ajouter/",
        applications.application_piece_expect,
        name="application_piece_expect",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/pieces/recue/",
        applications.application_piece_receive,
        name="application_piece_receive",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/orientation/",
        applications.application_orientation,
        name="application_orientation",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/orientation/derogation/",
        applications.application_orientation_override,
        name="application_orientation_override",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/demandeur/",
        applications.application_applicant,
        name="application_applicant",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/avis/",
        applications.application_opinion,
        name="application_opinion",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/visite/",
        applications.application_visit_plan,
        name="application_visit_plan",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/visite/compte-rendu/",
        applications.application_visit_report,
        name="application_visit_report",
    ),
    path(
        "admissions/demandes/<uuid:application_id>/decision/",
        applications.application_decision,
        name="application_decision",
    ),
    # The establishment's rules of admission (the director's).
    path("admissions/reglages/", configuration.admission_settings_page, name="admission_settings"),
    path("admissions/tarifs/", price_lists.price_lists_page, name="price_lists"),
    path("admissions/tarifs/nouvelle/", price_lists.price_list_edit, name="price_list_new"),
    path(
        "admissions/tarifs/<uuid:price_list_id>/",
        price_lists.price_list_edit,
        name="price_list_edit",
    ),
    # Letters and their templates.
    path(
        "admissions/demandes/<uuid:application_id>/courriers/",
        letters.letters_page,
        name="letters",
    ),
    path("admissions/courriers/modeles/", letters.letter_template_list, name="letter_templates"),
    path(
        "admissions/courriers/modeles/<str:kind>/",
        letters.letter_template_edit,
        name="letter_template",
    ),
    path(
        "admissions/courriers/modeles/<str:kind>/apercu/",
        letters.letter_template_preview,
        name="letter_template_preview",
    ),
    # Step 3: the admission, the welcome checklist, the contract.
    path("sejours/admettre/<uuid:application_id>/", admission.admit, name="admit"),
    path("sejours/<uuid:person_id>/accueil/", welcome.welcome, name="welcome"),
    path("admissions/<uuid:person_id>/contrat/", contracts.contract_page, name="contract"),
    path(
        "admissions/<uuid:person_id>/contrat/<str:action>/",
        contracts.contract_action,
        name="contract_action",
    ),
    path(
        "admissions/contrats/en-retard/",
        contracts.contracts_overdue_page,
        name="contracts_overdue",
    ),
]
