from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("signin/code/", views.mfa_verify, name="mfa_verify"),
    path("signin/authenticator/", views.mfa_enrol, name="mfa_enrol"),
    path("signin/password/", views.password_new, name="password_new"),
    path("signin/notice/", views.notice, name="notice"),
    path("security/", views.security, name="security"),
    path("password/", views.password_new, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
]
