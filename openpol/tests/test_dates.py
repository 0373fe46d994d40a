"""Dates in one Indian style in both languages, and typed dates read day first."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

BIRTHDAY = datetime.date(1985, 4, 12)


@pytest.mark.parametrize(("language", "shown"), [("en", "12 Apr 1985"), ("hi", "12 अप्र 1985")])
def test_a_date_on_a_page_reads_day_month_year_in_either_language(language, shown):
    with translation.override(language):
        assert Template("{{ day }}|{{ day|date }}").render(Context({"day": BIRTHDAY})) == f"{shown}|{shown}"


def test_a_typed_date_is_read_day_first_as_india_writes_it():
    class Form(forms.Form):
        born = forms.DateField()

    for typed in ("12/04/1985", "12-04-1985", "1985-04-12", "12 Apr 1985"):
        form = Form({"born": typed})
        assert form.is_valid() and form.cleaned_data["born"] == BIRTHDAY, typed
