from django.urls import path

from .views import entourage as views

urlpatterns = [
    path("<uuid:person_id>/entourage/", views.entourage, name="entourage"),
    path(
        "<uuid:person_id>/entourage/proches/nouveau/",
        views.contact_create,
        name="contact_create",
    ),
    path(
        "<uuid:person_id>/entourage/proches/<uuid:contact_id>/modifier/",
        views.contact_update,
        name="contact_update",
    ),
    path(
        "<uuid:person_id>/entourage/proches/<uuid:contact_id>/fin/",
        views.contact_end,
        name="contact_end",
    ),
    path(
        "<uuid:person_id>/entourage/proches/<uuid:contact_id>/erreur/",
        views.contact_error,
        name="contact_error",
    ),
    path(
        "<uuid:person_id>/entourage/proches/<uuid:contact_id>/personne-de-confiance/",
        views.trusted_person_designate,
        name="trusted_person_designate",
    ),
    path(
        "<uuid:person_id>/entourage/proches/<uuid:contact_id>/personne-de-confiance/revoquer/",
        views.trusted_person_revoke,
        name="trusted_person_revoke",
    ),
    path(
        "<uuid:person_id>/entourage/protections/nouvelle/",
        views.protection_create,
        name="protection_create",
    ),
    path(
        "<uuid:person_id>/entourage/protections/<uuid:protection_id>/modifier/",
        views.protection_update,
        name="protection_update",
    ),
    path(
        "<uuid:person_id>/entourage/protections/<uuid:protection_id>/levee/",
        views.protection_end,
        name="protection_end",
    ),
    path(
        "<uuid:person_id>/entourage/protections/<uuid:protection_id>/erreur/",
        views.protection_error,
        name="protection_error",
    ),
    path(
        "<uuid:person_id>/entourage/mandataires/nouveau/",
        views.protection_partner_create,
        name="protection_partner_create",
    ),
    path("<uuid:person_id>/alertes/", views.alerts, name="alerts"),
    path(
        "<uuid:person_id>/alertes/<str:category>/nouvelle/",
        views.alert_create,
        name="alert_create",
    ),
    path(
        "<uuid:person_id>/alertes/<str:category>/<uuid:alert_id>/levee/",
        views.alert_end,
        name="alert_end",
    ),
]
