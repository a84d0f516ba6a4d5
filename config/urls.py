from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "DUI — administration"
admin.site.site_title = "DUI"

urlpatterns = [
    path("", include("dui.core.urls")),
    path("compte/", include("dui.accounts.urls")),
    path("acces/", include("dui.access.urls")),
    path("usagers/", include("dui.people.urls")),
    path("admin/", admin.site.urls),
]
