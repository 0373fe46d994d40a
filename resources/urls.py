"""Documents (manuals, forms, procedures, legal texts) and training."""

from django.urls import path

from resources import views

app_name = "resources"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/versions/", views.document_version_add, name="document_version_add"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/versions/<int:number>/download/", views.document_download, name="version_download"),
    path("training/", views.training_list, name="training_list"),
    path("training/new/", views.training_create, name="training_create"),
    path("training/coverage/", views.training_coverage, name="training_coverage"),
    path("training/<int:pk>/", views.training_detail, name="training_detail"),
    path("training/<int:pk>/request/", views.training_request, name="training_request"),
    path("training/<int:pk>/nominate/", views.training_nominate, name="training_nominate"),
    path("training/<int:pk>/enrolments/<int:enrolment_id>/accept/", views.enrolment_accept, name="enrolment_accept"),
    path("training/<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("certificates/<int:enrolment_id>/", views.certificate, name="certificate"),
]
