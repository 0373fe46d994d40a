"""The 24x7 crime alert network (after NCRB's Cri-MAC)."""

from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_inbox, name="inbox"),
    path("new/", views.alert_publish, name="publish"),
    path("import/", views.alert_import, name="import"),
    path("subscription/", views.alert_subscribe, name="subscribe"),
    path("dashboard/", views.alert_dashboard, name="dashboard"),
    path("stream", views.alert_stream, name="stream"),
    path("feed/<str:token>.xml", views.alert_feed, name="feed"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/cap.xml", views.alert_cap, name="cap"),
    path("<int:pk>/v<int:number>/cap.xml", views.alert_cap, name="cap_version"),
    path("<int:pk>/update/", views.alert_update, name="update"),
    path("<int:pk>/cancel/", views.alert_cancel, name="cancel"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
]
