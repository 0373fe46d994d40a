from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<uuid:pk>/retry/", views.task_retry, name="task_retry"),
]
