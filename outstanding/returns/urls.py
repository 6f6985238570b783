from django.urls import path

from outstanding.returns import views

app_name = "returns"
urlpatterns = [
    path("returns/", views.returns_home, name="home"),
    path("returns/<int:pk>/", views.validation_detail, name="validation"),
    path("returns/<int:pk>/findings.<str:kind>", views.validation_download, name="download"),
    path("returns/<int:pk>/delete/", views.validation_delete, name="delete"),
]
