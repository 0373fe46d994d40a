"""The background work as the system administrator sees it: what waits, what failed (with a button to retry), and
each periodic job's last run."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from accounts import access
from jobs import queries, services


def overview(request):
    return render(request, "jobs/overview.html", queries.overview_for_user(request.user))


@require_POST
def task_retry(request, pk):
    access.require(request.user, "jobs.manage")
    try:
        row = services.task_retry(result_id=pk, by=request.user)
    except DBTaskResult.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The task %(name)s will run again shortly.") % {"name": row.task_name})
    return redirect("jobs:overview")
