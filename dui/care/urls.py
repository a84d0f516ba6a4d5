from django.urls import include, path

from . import views

app_name = "care"
urlpatterns = [
    path("", include("dui.care.background.urls")),
    path("<uuid:person_id>/soins/allergies/", views.allergies, name="allergies"),
    path(
        "<uuid:person_id>/soins/allergies/nouvelle/",
        views.allergy_create,
        name="allergy_create",
    ),
    path(
        "<uuid:person_id>/soins/allergies/<uuid:allergy_id>/erreur/",
        views.allergy_error,
        name="allergy_error",
    ),
    path("", include("dui.care.notes.urls")),
    path("", include("dui.care.plan.urls")),
    path("", include("dui.care.observations.urls")),
    path("", include("dui.care.incidents.urls")),
    path("", include("dui.care.appointments.urls")),
]
