from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("", views.search, name="search"),
    path("vehicles/", views.vehicle_search, name="vehicles"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("firs/<int:pk>/", views.fir_detail, name="fir"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle"),
    path("hits/", views.hit_list, name="hits"),
    path("hits/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("hits/<int:pk>/decide/", views.hit_decide, name="hit_decide"),
]
