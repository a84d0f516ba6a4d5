from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("exceptionnel/<uuid:person_id>/", views.break_glass_open, name="break_glass_open"),
    path("exceptionnels/", views.break_glass_review_list, name="break_glass_review_list"),
    path(
        "exceptionnels/<uuid:grant_id>/revue/", views.break_glass_review, name="break_glass_review"
    ),
    path("journal/usager/<uuid:person_id>/", views.person_journal, name="person_journal"),
    path("journal/professionnels/", views.professional_list, name="professional_list"),
    path(
        "journal/professionnels/<uuid:user_id>/",
        views.professional_journal,
        name="professional_journal",
    ),
    path("droits/", views.category_matrix, name="category_matrix"),
]
