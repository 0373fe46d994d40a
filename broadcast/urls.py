from django.urls import path

from broadcast import views

app_name = "broadcast"
urlpatterns = [
    path("", views.broadcast_list, name="list"),
    path("new/", views.broadcast_register, name="register"),
    path("<int:pk>/", views.broadcast_detail, name="detail"),
    path("<int:pk>/status/", views.broadcast_status, name="status"),
    path("<int:pk>/disseminate/", views.broadcast_disseminate, name="disseminate"),
    path("<int:pk>/rows/<int:row_id>/pass-on/", views.broadcast_pass_on, name="pass_on"),
    path("<int:pk>/rows/<int:row_id>/acknowledge/", views.broadcast_acknowledge, name="acknowledge"),
    path("<int:pk>/rows/<int:row_id>/report/", views.broadcast_report, name="report"),
    path("<int:pk>/reply/", views.broadcast_reply, name="reply"),
    path("<int:pk>/close/", views.broadcast_close, name="close"),
]
