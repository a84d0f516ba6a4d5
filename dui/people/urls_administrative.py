from django.urls import path

from .views import administrative

urlpatterns = [
    path(
        "<uuid:person_id>/administratif/",
        administrative.administrative_tab,
        name="administrative",
    ),
    path(
        "<uuid:person_id>/administratif/modifier/",
        administrative.administrative_edit,
        name="administrative_edit",
    ),
    path(
        "<uuid:person_id>/administratif/aides/nouvelle/",
        administrative.social_aid_add,
        name="social_aid_create",
    ),
    path(
        "<uuid:person_id>/administratif/aides/<uuid:aid_id>/modifier/",
        administrative.social_aid_edit,
        name="social_aid_edit",
    ),
    path(
        "<uuid:person_id>/administratif/aides/<uuid:aid_id>/erreur/",
        administrative.social_aid_mark_in_error,
        name="social_aid_mark_in_error",
    ),
]
