from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

admin.site.site_header = "DUI — administration"
admin.site.site_title = "DUI"

urlpatterns = [
    path("", include("dui.core.urls")),
    path("compte/", include("dui.accounts.urls")),
    path("acces/", include("dui.access.urls")),
    path("usagers/", include("dui.people.urls")),
    path("usagers/", include("dui.documents.urls")),
    path("usagers/", include("dui.care.urls")),
    path("usagers/", include("dui.assessments.urls")),
    path("sejours/", include("dui.stays.urls")),
    path("pilotage/", include("dui.reporting.urls")),
    path("partenaires/", include("dui.coordination.urls")),
    # The pathway brick serves /admissions/… and its step-3 pages under /sejours/….
    path("", include("dui.admissions.urls")),
    # The admin logs in through our login (password + second factor, session policy).
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True),
    ),
    path("admin/", admin.site.urls),
]

# A refusal shows its French reason and is journaled, whoever raised it (dui.access.refusals).
handler403 = "dui.access.refusals.handler403"
