"""Secure conversations along the NCB–ILO–UO hierarchy."""

from django.urls import path

from connect import views

app_name = "connect"
urlpatterns = [
    path("", views.thread_list, name="thread_list"),
    path("new/", views.thread_new, name="thread_new"),
    path("directory/", views.directory, name="directory"),
    path("<int:pk>/", views.thread_detail, name="thread_detail"),
    path("<int:pk>/messages/", views.thread_poll, name="thread_poll"),
    path("<int:pk>/messages/new/", views.message_post, name="message_post"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
