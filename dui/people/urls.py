from django.urls import include, path

from .views import search

app_name = "people"
urlpatterns = [
    path("", search.person_list, name="list"),
    path("<uuid:person_id>/", search.person_record, name="record"),
    path("", include("dui.people.urls_identity")),
    path("", include("dui.people.urls_entourage")),
    path("", include("dui.people.urls_administrative")),
]
