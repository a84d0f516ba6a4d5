from django.urls import path

from .views import birthplaces, identity

urlpatterns = [
    path("lieux-de-naissance/", birthplaces.birthplace_options, name="birthplaces"),
    path("nouveau/", identity.person_create, name="create"),
    path("<uuid:person_id>/identite/", identity.identity, name="identity"),
    path("<uuid:person_id>/identite/modifier/", identity.identity_edit, name="identity_edit"),
    path(
        "<uuid:person_id>/identite/controle/", identity.identity_evidence, name="identity_evidence"
    ),
    path("<uuid:person_id>/identite/ins/", identity.identity_ins, name="identity_ins"),
    path("<uuid:person_id>/fusionner/", identity.person_merge, name="merge"),
    path("<uuid:person_id>/historique/", identity.history, name="history"),
]
