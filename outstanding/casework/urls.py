from django.urls import path

from outstanding.casework import views

app_name = "casework"
urlpatterns = [
    path("children/<int:pk>/notes/", views.notes, name="notes"),
    path("children/<int:pk>/notes/new/", views.note_new, name="note-new"),
    path("notes/<int:pk>/", views.note, name="note"),
    path("notes/<int:pk>/save/", views.note_save, name="note-save"),
    path("notes/<int:pk>/finalise/", views.note_finalise, name="note-finalise"),
    path("notes/<int:pk>/add/", views.note_add, name="note-add"),
    path("children/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("children/<int:pk>/chronology/curate/", views.curate, name="curate"),
    path("chronologies/<int:pk>/", views.curated, name="curated"),
    path("children/<int:pk>/risks/", views.risks, name="risks"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk-review"),
    path("work-tray/", views.work_tray, name="work-tray"),
    path("risks/outcomes/", views.risk_outcomes, name="risk-outcomes"),
    path("children/<int:pk>/protection/", views.protection, name="protection"),
    path("children/<int:pk>/assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/save/", views.assessment_save, name="assessment-save"),
    path("assessments/<int:pk>/decide/", views.assessment_decide, name="assessment-decide"),
]
