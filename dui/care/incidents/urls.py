"""URLs of falls and wounds, in the `care:` namespace (no app_name: included by
dui/care/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<uuid:person_id>/soins/chutes-et-plaies/", views.incidents, name="incidents"),
    path(
        "<uuid:person_id>/soins/chutes/nouvelle/",
        views.fall_create,
        name="incidents_fall_create",
    ),
    path("<uuid:person_id>/soins/chutes/<uuid:fall_id>/", views.fall_detail, name="incidents_fall"),
    path(
        "<uuid:person_id>/soins/chutes/<uuid:fall_id>/modifier/",
        views.fall_amend,
        name="incidents_fall_amend",
    ),
    path(
        "<uuid:person_id>/soins/chutes/<uuid:fall_id>/suivi/",
        views.fall_follow_up,
        name="incidents_fall_follow_up",
    ),
    path(
        "<uuid:person_id>/soins/plaies/nouvelle/",
        views.wound_create,
        name="incidents_wound_create",
    ),
    path(
        "<uuid:person_id>/soins/plaies/<uuid:wound_id>/",
        views.wound_detail,
        name="incidents_wound",
    ),
    path(
        "<uuid:person_id>/soins/plaies/<uuid:wound_id>/evaluation/",
        views.wound_assess,
        name="incidents_wound_assess",
    ),
    path(
        "<uuid:person_id>/soins/plaies/<uuid:wound_id>/cicatrisee/",
        views.wound_heal,
        name="incidents_wound_heal",
    ),
    path(
        "<uuid:person_id>/soins/plaies/<uuid:wound_id>/soins-lies/",
        views.wound_lines,
        name="incidents_wound_lines",
    ),
    path(
        "<uuid:person_id>/soins/chutes-et-plaies/<slug:kind>/<uuid:entry_id>/erreur/",
        views.entry_error,
        name="incidents_entry_error",
    ),
    path("soins/plaies-en-cours/", views.open_wounds, name="incidents_open_wounds"),
]
