from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<uuid:person_id>/documents/", views.document_list, name="list"),
    path("<uuid:person_id>/documents/deposer/", views.document_upload, name="upload"),
    path(
        "<uuid:person_id>/documents/<uuid:document_id>/fichier/",
        views.document_file,
        name="file",
    ),
    path(
        "<uuid:person_id>/documents/<uuid:document_id>/vignette/",
        views.document_thumbnail,
        name="thumbnail",
    ),
    path(
        "<uuid:person_id>/documents/<uuid:document_id>/erreur/",
        views.document_entered_in_error,
        name="entered_in_error",
    ),
]
