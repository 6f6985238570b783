from django.urls import path

from outstanding.people import views

app_name = "people"
urlpatterns = [
    path("children/", views.search, name="search"),
    path("children/new/", views.create, name="create"),
    path("children/<int:pk>/", views.summary, name="summary"),
    path("children/<int:pk>/break-glass/", views.break_glass, name="break-glass"),
    path("children/<int:pk>/who-looked/", views.audit_trail, name="audit-trail"),
    path("children/<int:pk>/merge/", views.merge, name="merge"),
    path("staff/<int:pk>/activity/", views.staff_activity, name="staff-activity"),
]
