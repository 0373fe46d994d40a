from django.urls import path

from citizen import station_views as views

app_name = "citizen_station"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("r/<str:reference>/", views.detail, name="detail"),
    path("r/<str:reference>/steps/<str:step>/", views.act, name="act"),
    path("r/<str:reference>/fir/", views.register_fir, name="register_fir"),
    path("r/<str:reference>/assign/", views.assign, name="assign"),
    path("r/<str:reference>/documents/<str:code>/revoke/", views.revoke, name="revoke"),
    path("r/<str:reference>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
