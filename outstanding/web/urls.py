from django.urls import path

from outstanding.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("administration/councils/", views.councils, name="councils"),
    path("administration/teams/", views.teams, name="teams"),
    path("administration/staff/", views.staff, name="staff"),
    path("administration/staff/unlock/", views.unlock, name="unlock"),
]
