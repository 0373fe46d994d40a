"""Screening is inverted: each app that sends items to be screened registers how to read them; the records module
imports none of their models."""

import ast
from pathlib import Path

from records import crossmatch

RECORDS = Path(__file__).resolve().parent.parent
SENDERS = {"notices", "references", "broadcast", "alerts", "citizen", "connect"}


def test_the_records_module_imports_no_app_whose_items_it_screens():
    offending = []
    for path in RECORDS.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offending += [f"{path.relative_to(RECORDS)}: {name}" for name in names if name.split(".")[0] in SENDERS]
    assert offending == []


def test_each_app_that_sends_items_registers_its_adapter():
    kinds = {kind.key: kind.model._meta.label for kind in crossmatch.source_kinds()}
    assert kinds == {
        "notices": "notices.NoticeRequest",
        "references": "references.ReferenceRequest",
        "broadcasts": "broadcast.BroadcastItem",
        "alerts": "alerts.Alert",
    }
