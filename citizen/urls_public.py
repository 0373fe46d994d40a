from django.urls import path

from citizen import views

app_name = "citizen_public"
urlpatterns = [
    path("", views.index, name="index"),
    path("signup/", views.signup, name="signup"),
    path("signup/verify/", views.signup_verify, name="signup_verify"),
    path("privacy/<slug:service>/", views.privacy, name="privacy"),
    path("new/<slug:service>/", views.request_new, name="request_new"),
    path("mine/", views.my_requests, name="my_requests"),
    path("r/<str:reference>/", views.request_detail, name="request_detail"),
    path("r/<str:reference>/answer/", views.request_answer, name="request_answer"),
    path("r/<str:reference>/feedback/", views.request_feedback, name="request_feedback"),
    path("r/<str:reference>/fir.pdf", views.fir_copy, name="fir_copy"),
    path("r/<str:reference>/documents/<str:code>.pdf", views.document_download, name="document"),
    path("track/", views.track, name="track"),
    path("track/code/", views.track_verify, name="track_verify"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("stations/", views.locate, name="locate"),
    path("vehicle-noc/", views.vehicle_noc, name="vehicle_noc"),
    path("vehicle-noc/<str:code>.pdf", views.vehicle_noc_pdf, name="vehicle_noc_pdf"),
    path("lists/<slug:kind>/", views.public_list, name="public_list"),
    path("missing/", views.missing_search, name="missing_search"),
    path("firs/", views.public_fir, name="public_fir"),
    path("firs/<str:station>/<int:year>/<int:number>.pdf", views.public_fir_pdf, name="public_fir_pdf"),
]
