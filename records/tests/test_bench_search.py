"""bench_search reports recall per Indian script and for a name with only the year of birth, besides its figures."""

import io
import json

from django.core.management import call_command

from records.management.commands.bench_search import SCRIPT_TARGETS


def test_bench_search_reports_recall_for_each_script_and_for_name_and_year_queries(db):
    out = io.StringIO()
    call_command("bench_search", records=3000, queries=20, script_queries=3, stdout=out)
    result = json.loads(out.getvalue())
    assert result["queries"] == 20 and result["queries_per_script"] == 3
    assert set(result["recall_at_10_by_script"]) == set(result["recall_at_10_by_script_where_distinguishable"]) == set(SCRIPT_TARGETS)
    assert all(0 <= recall <= 1 for recall in result["recall_at_10_by_script"].values())
    assert result["recall_at_10_by_script"]["devanagari"] == 1.0 and result["recall_at_10_name_and_year"] is not None
