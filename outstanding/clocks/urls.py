from django.urls import path

from outstanding.clocks import views

app_name = "clocks"
urlpatterns = [
    path("children/<int:pk>/timescales/", views.child_clocks, name="child"),
    path("teams/<int:pk>/timescales/", views.team_due, name="team"),
]
