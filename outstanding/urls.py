from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Outstanding reference data"

urlpatterns = [
    path("", include("outstanding.web.urls")),
    path("", include("outstanding.accounts.urls")),
    path("reference-data/", admin.site.urls),
]

handler403 = "outstanding.web.views.forbidden"
handler404 = "outstanding.web.views.not_found"
