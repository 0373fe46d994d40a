from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/steps/<str:step>/", views.notice_act, name="act"),
    path("<int:pk>/attachments/", views.notice_attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/pdf/", views.notice_pdf, name="pdf"),
    path("<int:pk>/interpol.json", views.notice_interpol_json, name="interpol_json"),
]
