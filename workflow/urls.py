from django.urls import path

from workflow import views

app_name = "workflow"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("outbound/", views.outbound, name="outbound"),
    path("outbound/<int:pk>/confirm/", views.outbound_confirm, name="outbound_confirm"),
]
