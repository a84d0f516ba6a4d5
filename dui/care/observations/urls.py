from django.urls import path

from . import views

# No app_name: these names live in the `care:` namespace (dui/care/urls.py includes them).
urlpatterns = [
    path("<uuid:person_id>/soins/constantes/", views.observation_list, name="obs_list"),
    path("<uuid:person_id>/soins/constantes/saisie/", views.observation_new, name="obs_new"),
    path(
        "<uuid:person_id>/soins/constantes/<uuid:observation_id>/erreur/",
        views.observation_error,
        name="obs_error",
    ),
    path("<uuid:person_id>/soins/constantes/courbes/", views.observation_charts, name="obs_charts"),
    path(
        "<uuid:person_id>/soins/constantes/denutrition/",
        views.etiology_new,
        name="obs_etiology",
    ),
    path(
        "soins/alertes/<uuid:alert_id>/prise-en-compte/",
        views.alert_acknowledge,
        name="obs_alert_ack",
    ),
    path("soins/alertes/", views.unit_alerts, name="obs_alerts"),
    path("soins/tournee-de-mesures/", views.measurement_round, name="obs_round"),
]
urlpatterns += [
    path("soins/reglages/", views.care_settings_page, name="obs_settings"),
]
