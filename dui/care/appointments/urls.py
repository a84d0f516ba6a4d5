from django.urls import path

from . import views

# No app_name: these names live in the `care:` namespace (prefixed `appointments_`).
urlpatterns = [
    path("<uuid:person_id>/soins/rendez-vous/", views.appointments, name="appointments_list"),
    path(
        "<uuid:person_id>/soins/rendez-vous/nouveau/",
        views.appointment_create,
        name="appointments_create",
    ),
    path(
        "<uuid:person_id>/soins/rendez-vous/<uuid:appointment_id>/modifier/",
        views.appointment_edit,
        name="appointments_edit",
    ),
    path(
        "<uuid:person_id>/soins/rendez-vous/<uuid:appointment_id>/annuler/",
        views.appointment_cancel,
        name="appointments_cancel",
    ),
    path(
        "<uuid:person_id>/soins/rendez-vous/<uuid:appointment_id>/compte-rendu/",
        views.appointment_outcome,
        name="appointments_outcome",
    ),
    path(
        "<uuid:person_id>/soins/rendez-vous/<uuid:appointment_id>/erreur/",
        views.appointment_error,
        name="appointments_error",
    ),
    path("soins/agenda/", views.agenda, name="appointments_agenda"),
]
