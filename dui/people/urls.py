from django.urls import include, path

from .views import search, search_break_glass

app_name = "people"
urlpatterns = [
    path("", search.person_list, name="list"),
    path("<uuid:person_id>/", search.person_record, name="record"),
    path(
        "acces-exceptionnel/",
        search_break_glass.break_glass_by_identity,
        name="break_glass_by_identity",
    ),
    path("", include("dui.people.urls_identity")),
    path("", include("dui.people.urls_entourage")),
    path("", include("dui.people.urls_administrative")),
]
