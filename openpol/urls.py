from django.urls import include, path

from accounts.views import language_set
from openpol import views
from openpol.api import api

handler400 = "openpol.views.bad_request"
handler403 = "openpol.views.permission_denied"
handler404 = "openpol.views.page_not_found"
handler500 = "openpol.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", language_set, name="set_language"),  # Django's, and it keeps the user's language for messages
    path("accounts/", include("accounts.urls")),
    path("directory/", include("directory.urls")),
    path("audit/", include("audit.urls")),
    path("jobs/", include("jobs.urls")),
    path("work/", include("workflow.urls")),
    path("notices/", include("notices.urls")),
    path("references/", include("references.urls")),
    path("broadcasts/", include("broadcast.urls")),
    path("connect/", include("connect.urls")),
    path("resources/", include("resources.urls")),
    path("alerts/", include("alerts.urls")),
    path("records/", include("records.urls")),
    path("insights/", include("insights.urls")),
    path("services/", include("citizen.urls_public")),
    path("station/", include("citizen.urls_station")),
    path("open311/v2/", include("citizen.urls_open311")),
    path("api/v1/", api.urls),
]
