from django.urls import path

from . import views

app_name = "stays"
urlpatterns = [
    path("occupation/", views.occupancy_page, name="occupancy"),
    path("<uuid:person_id>/presences/", views.attendance_list, name="attendance"),
    path(
        "<uuid:person_id>/presences/absence/",
        views.attendance_absence_new,
        name="attendance_absence_new",
    ),
    path(
        "<uuid:person_id>/presences/<uuid:attendance_id>/valider/",
        views.attendance_validate,
        name="attendance_validate",
    ),
    path(
        "<uuid:person_id>/presences/<uuid:attendance_id>/erreur/",
        views.attendance_error,
        name="attendance_error",
    ),
]
