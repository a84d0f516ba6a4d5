from django.urls import path

from . import views

app_name = "stays"
urlpatterns = [
    path("occupation/", views.occupancy_page, name="occupancy"),
]
