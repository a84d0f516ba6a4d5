from django.urls import path

from dui.admissions import views_welcome

from . import views

app_name = "stays"
urlpatterns = [
    path("admettre/<uuid:request_id>/", views.admit, name="admit"),
    path("occupation/", views.occupancy_page, name="occupancy"),
    path("<uuid:person_id>/accueil/", views_welcome.welcome, name="welcome"),
]
