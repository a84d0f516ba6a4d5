from django.urls import path

app_name = "admissions"
urlpatterns = []

# --- Step 1 (inquiries) and pipeline screens (board, list, waiting list) -------------------
from . import views_inquiries, views_pipeline  # noqa: E402

urlpatterns += [
    path("renseignements/", views_inquiries.inquiry_list, name="inquiry_list"),
    path("renseignements/nouvelle/", views_inquiries.inquiry_new, name="inquiry_new"),
    path(
        "renseignements/<uuid:inquiry_id>/clore/",
        views_inquiries.inquiry_close_view,
        name="inquiry_close",
    ),
    path(
        "renseignements/<uuid:inquiry_id>/transformer/",
        views_inquiries.inquiry_convert_view,
        name="inquiry_convert",
    ),
    path("tableau/", views_pipeline.pipeline_board, name="pipeline_board"),
    path("demandes/", views_pipeline.pipeline_list, name="pipeline_list"),
    path("liste-attente/", views_pipeline.waiting_list, name="waiting_list"),
    path("liste-attente/regles/", views_pipeline.waiting_list_policy, name="waiting_list_policy"),
    path(
        "liste-attente/<uuid:request_id>/rang/",
        views_pipeline.waiting_rank,
        name="waiting_rank",
    ),
]

# --- The application page and its steps (views_requests.py) ---------------------------------
from . import views_requests  # noqa: E402

urlpatterns += [
    path("demandes/<uuid:request_id>/", views_requests.request_detail, name="request_detail"),
    path(
        "demandes/<uuid:request_id>/statut/",
        views_requests.request_transition,
        name="request_transition",
    ),
    path(
        "demandes/<uuid:request_id>/pieces/ajouter/",
        views_requests.request_piece_expect,
        name="request_piece_expect",
    ),
    path(
        "demandes/<uuid:request_id>/pieces/recue/",
        views_requests.request_piece_receive,
        name="request_piece_receive",
    ),
    path(
        "demandes/<uuid:request_id>/orientation/",
        views_requests.request_orientation,
        name="request_orientation",
    ),
    path(
        "demandes/<uuid:request_id>/avis/", views_requests.request_opinion, name="request_opinion"
    ),
    path(
        "demandes/<uuid:request_id>/visite/",
        views_requests.request_visit_plan,
        name="request_visit_plan",
    ),
    path(
        "demandes/<uuid:request_id>/visite/compte-rendu/",
        views_requests.request_visit_report,
        name="request_visit_report",
    ),
    path(
        "demandes/<uuid:request_id>/decision/",
        views_requests.request_decision,
        name="request_decision",
    ),
]

# --- Letters, letter templates and the contract (views_letters.py) --------------------------
from . import views_letters  # noqa: E402

urlpatterns += [
    path("demandes/<uuid:request_id>/courriers/", views_letters.letters_page, name="letters"),
    path("courriers/modeles/", views_letters.letter_template_list, name="letter_templates"),
    path(
        "courriers/modeles/<str:kind>/",
        views_letters.letter_template_edit,
        name="letter_template",
    ),
    path(
        "courriers/modeles/<str:kind>/apercu/",
        views_letters.letter_template_preview,
        name="letter_template_preview",
    ),
    path("<uuid:person_id>/contrat/", views_letters.contract_page, name="contract"),
    path(
        "<uuid:person_id>/contrat/<str:action>/",
        views_letters.contract_action,
        name="contract_action",
    ),
    path("contrats/en-retard/", views_letters.contracts_overdue_page, name="contracts_overdue"),
]
