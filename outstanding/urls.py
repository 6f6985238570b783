from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _admin_sign_in(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    # One way in, with its lockout and audit: the admin's own sign-in form is never offered.
    return redirect_to_login(request.GET.get("next", "/reference-data/"))


admin.site.site_header = "Outstanding reference data"
admin.site.login = _admin_sign_in
# Sign-ins are kept through the audited partnership services, never edited in the admin, where a password
# reset would let one person sign in as another unrecorded.
admin.site.unregister(User)
admin.site.unregister(Group)

urlpatterns = [
    path("", include("outstanding.web.urls")),
    path("", include("outstanding.accounts.urls")),
    path("", include("outstanding.people.urls")),
    path("", include("outstanding.clocks.urls")),
    path("", include("outstanding.casework.urls")),
    path("", include("outstanding.frontdoor.urls")),
    path("", include("outstanding.returns.urls")),
    path("reference-data/", admin.site.urls),
]

handler403 = "outstanding.web.views.forbidden"
handler404 = "outstanding.web.views.not_found"
