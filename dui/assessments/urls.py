from django.urls import path

from . import views, views_history, views_reviews

app_name = "assessments"
urlpatterns = [
    path("<uuid:person_id>/evaluations/", views.assessment_list, name="list"),
    path("<uuid:person_id>/evaluations/<slug:code>/nouvelle/", views.assessment_new, name="new"),
    path(
        "<uuid:person_id>/evaluations/<slug:code>/apercu/", views.assessment_preview, name="preview"
    ),
    path(
        "<uuid:person_id>/evaluations/e/<uuid:assessment_id>/",
        views.assessment_detail,
        name="detail",
    ),
    path(
        "<uuid:person_id>/evaluations/e/<uuid:assessment_id>/valider/",
        views.assessment_validate,
        name="validate",
    ),
    path(
        "<uuid:person_id>/evaluations/e/<uuid:assessment_id>/corriger/",
        views.assessment_correct,
        name="correct",
    ),
    path(
        "<uuid:person_id>/evaluations/e/<uuid:assessment_id>/erreur/",
        views.assessment_error,
        name="error",
    ),
    # Reviews due (reviews.py) and one instrument's history (charts.py).
    path("evaluations/a-faire/", views_reviews.due_list, name="due"),
    path("evaluations/a-valider/", views_reviews.validation_queue, name="to_validate"),
    path(
        "<uuid:person_id>/evaluations/<slug:code>/historique/",
        views_history.instrument_history,
        name="instrument_history",
    ),
]
