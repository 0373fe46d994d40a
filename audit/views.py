"""The audit trail, browsed and filtered by NCB administrators."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import access
from audit import queries, services
from audit.forms import AuditFilterForm


def entry_list(request):
    access.require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    filters = {key: value for key, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    entries = queries.entries_for_user(request.user, **filters).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.summary = queries.describe(entry)  # what was read, searched or attempted, in words
    report = services.verify_chain() if request.GET.get("verify") else None
    template = "audit/_entry_rows.html" if request.htmx else "audit/entry_list.html"
    return render(request, template, {"form": form, "page": page, "report": report})
