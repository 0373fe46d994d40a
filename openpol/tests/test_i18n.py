"""Every string the portal shows has a Hindi translation, and the compiled catalogue matches the source."""

import re
from pathlib import Path

from django.utils import translation

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "hi" / "LC_MESSAGES" / "django.po"


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(block: str) -> str:
    joined = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), joined)


def catalogue() -> list[dict]:
    """The entries of the Hindi .po file, parsed line by line (msgid, msgstr, plural forms, fuzzy flag)."""
    entries = []
    for chunk in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"fuzzy": False}, None
        for line in chunk.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            elif line.startswith("msg"):
                key, _space, value = line.partition(" ")
                entry[key] = _unquote(value)
            elif line.startswith('"') and key:
                entry[key] += _unquote(line)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_no_string_is_left_untranslated_or_fuzzy():
    entries = catalogue()
    assert len(entries) > 150
    untranslated = [e["msgid"] for e in entries if e["fuzzy"] or not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    with translation.override("hi"):
        for entry in catalogue():
            if "msgid_plural" in entry or "msgctxt" in entry:
                continue
            assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
