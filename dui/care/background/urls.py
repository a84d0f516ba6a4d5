"""URLs of the background, in the `care:` namespace (no app_name: included by dui/care/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<uuid:person_id>/antecedents/", views.medical, name="background_medical"),
    path(
        "<uuid:person_id>/antecedents/nouveau/",
        views.history_create,
        name="background_history_create",
    ),
    path(
        "<uuid:person_id>/antecedents/<uuid:entry_id>/fin/",
        views.history_end,
        name="background_history_end",
    ),
    path(
        "<uuid:person_id>/antecedents/vaccinations/nouvelle/",
        views.vaccination_create,
        name="background_vaccination_create",
    ),
    path(
        "<uuid:person_id>/soins/appareils-repas-directives/",
        views.care,
        name="background_care",
    ),
    path(
        "<uuid:person_id>/soins/appareils/nouveau/",
        views.device_create,
        name="background_device_create",
    ),
    path(
        "<uuid:person_id>/soins/appareils/<uuid:entry_id>/retrait/",
        views.device_remove,
        name="background_device_remove",
    ),
    path("<uuid:person_id>/soins/regime/", views.diet_record, name="background_diet_record"),
    path(
        "<uuid:person_id>/soins/directives-anticipees/",
        views.directive_record,
        name="background_directive_record",
    ),
    path(
        "<uuid:person_id>/soins/allergies/aucune-connue/",
        views.statement_record,
        name="background_statement_record",
    ),
    path(
        "<uuid:person_id>/contexte/<slug:kind>/<uuid:entry_id>/erreur/",
        views.entry_error,
        name="background_entry_error",
    ),
]
