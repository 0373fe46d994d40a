from django.urls import path

from citizen import open311

app_name = "citizen_open311"
urlpatterns = [
    path("services.json", open311.service_list, name="services"),
    path("services/<slug:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests_view, name="requests"),
    path("requests/<str:reference>.json", open311.request_status, name="request"),
]
