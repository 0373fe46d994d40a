from django.urls import path

from references import views

app_name = "references"
urlpatterns = [
    path("", views.reference_list, name="list"),
    path("new/", views.reference_form, name="create"),
    path("<int:pk>/", views.reference_detail, name="detail"),
    path("<int:pk>/edit/", views.reference_form, name="edit"),
    path("<int:pk>/steps/<str:step>/", views.reference_act, name="act"),
    path("<int:pk>/replies/", views.reference_reply, name="reply"),
    path("<int:pk>/pdf/", views.reference_pdf, name="pdf"),
]
