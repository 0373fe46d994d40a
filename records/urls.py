from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("", views.search, name="search"),
    path("vehicles/", views.vehicle_search, name="vehicles"),
]
