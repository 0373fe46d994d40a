"""The audit trail, browsed and filtered by NCB administrators."""

from django.shortcuts import render

from accounts import access
from audit import queries, services
from audit.forms import AuditFilterForm


def entry_list(request):
    access.require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    filters = {key: value for key, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    verify = bool(request.GET.get("verify"))
    report = services.verify_chain() if verify else None  # the trail as it stood before this visit's own read
    # One audited read per request, the first load as each filter change or next page (HTMX) alike.
    page = queries.entries_page_for_user(request.user, request.GET.get("page"), verify=verify, **filters)
    template = "audit/_entry_rows.html" if request.htmx else "audit/entry_list.html"
    return render(request, template, {"form": form, "page": page, "report": report})
