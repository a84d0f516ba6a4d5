from django.urls import path

from . import views

app_name = "coordination"
urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("nouveau/", views.partner_create, name="partner_create"),
    path("<uuid:partner_id>/modifier/", views.partner_edit, name="partner_edit"),
]
