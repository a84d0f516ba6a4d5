from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("deconnexion-partout/", views.logout_everywhere, name="logout_everywhere"),
    path("second-facteur/", views.otp_verify, name="otp_verify"),
    path("second-facteur/activer/", views.otp_setup, name="otp_setup"),
    path("second-facteur/lien/<slug:secret>/", views.enrolment_link, name="enrolment_link"),
    path(
        "second-facteur/professionnels/",
        views.second_factor_professionals,
        name="second_factor_professionals",
    ),
    path(
        "second-facteur/professionnels/<uuid:user_id>/code/",
        views.enrolment_code_issue,
        name="enrolment_code_issue",
    ),
    path(
        "second-facteur/professionnels/<uuid:user_id>/revoquer/",
        views.second_factor_revoke,
        name="second_factor_revoke",
    ),
    path("verrou/", views.lock, name="lock"),
    path("verrouiller/", views.lock_now, name="lock_now"),
    path("deverrouiller/", views.unlock, name="unlock"),
    path("activite/", views.activity, name="activity"),
    path("affectation/", views.switch_assignment, name="switch_assignment"),
    path("exemptions/", views.second_factor_exemptions, name="second_factor_exemptions"),
    path(
        "exemptions/<uuid:exemption_id>/revoquer/",
        views.second_factor_exemption_revoke,
        name="second_factor_exemption_revoke",
    ),
]
