from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("gmp/", views.gmp_page, name="gmp"),
]
