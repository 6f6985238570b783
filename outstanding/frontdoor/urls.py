from django.urls import path

from outstanding.frontdoor import views

app_name = "frontdoor"
urlpatterns = [
    path("front-door/", views.queue, name="queue"),
    path("front-door/contacts/new/", views.contact_new, name="contact-new"),
    path("front-door/contacts/<int:pk>/", views.contact, name="contact"),
    path("front-door/contacts/<int:pk>/take/", views.contact_take, name="take"),
    path("front-door/contacts/<int:pk>/screen/", views.contact_screen, name="screen"),
    path("front-door/contacts/<int:pk>/checks/", views.check_request, name="check-request"),
    path("front-door/contacts/<int:pk>/checks/<int:check_pk>/", views.check_record, name="check"),
    path("front-door/contacts/<int:pk>/decide/", views.contact_decide, name="decide"),
    path("front-door/contacts/<int:pk>/authorise/", views.contact_authorise, name="authorise"),
    path("front-door/checks/", views.checks, name="checks"),
    path("front-door/dashboard/", views.dashboard, name="dashboard"),
]
