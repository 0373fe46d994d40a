from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("", views.search, name="search"),
    path("vehicles/", views.vehicle_search, name="vehicles"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("firs/new/", views.fir_register, name="fir_register"),
    path("firs/<int:pk>/", views.fir_detail, name="fir"),
    path("firs/<int:pk>/arrests/new/", views.fir_arrest, name="fir_arrest"),
    path("firs/<int:pk>/proclamations/new/", views.fir_proclamation, name="fir_proclamation"),
    path("reports/new/", views.person_report, name="person_report"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle"),
    path("hits/", views.hit_list, name="hits"),
    path("hits/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("hits/<int:pk>/decide/", views.hit_decide, name="hit_decide"),
]
