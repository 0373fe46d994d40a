from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<str:code>/", views.agency_detail, name="agency_detail"),
    path("stations/", views.station_list, name="station_list"),
]
