from django.urls import path

from . import views

# No app_name: these names live in the `care:` namespace (prefixed `notes_`).
urlpatterns = [
    path("<uuid:person_id>/soins/transmissions/", views.timeline, name="notes_timeline"),
    path(
        "<uuid:person_id>/soins/transmissions/nouvelle/",
        views.note_create,
        name="notes_create",
    ),
    path(
        "<uuid:person_id>/soins/transmissions/<uuid:note_id>/versions/",
        views.note_versions,
        name="notes_versions",
    ),
    path(
        "<uuid:person_id>/soins/transmissions/<uuid:note_id>/modifier/",
        views.note_amend,
        name="notes_amend",
    ),
    path(
        "<uuid:person_id>/soins/transmissions/<uuid:note_id>/erreur/",
        views.note_error,
        name="notes_error",
    ),
    path("soins/releve/", views.handover, name="notes_handover"),
    path("soins/releve/<uuid:note_id>/lu/", views.note_mark_read, name="notes_mark_read"),
    path("soins/releve/tout-lu/", views.notes_mark_all_read, name="notes_mark_all_read"),
    path("soins/cibles/", views.focuses, name="notes_focuses"),
]
