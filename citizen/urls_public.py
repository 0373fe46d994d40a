from django.urls import path  # noqa: F401 - routes are added as the module grows

app_name = "citizen_public"
urlpatterns: list = []
