"""A request's history names its moves and stages in words, in the reader's language, on the page and in the PDF."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from notices import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(red_draft, delhi_uo, delhi_ilo):
    request = services.notice_submit(request=red_draft, by=delhi_uo)
    return services.notice_return(request=request, by=delhi_ilo, note="Add the warrant's date.")


def test_the_history_on_the_page_shows_moves_and_stages_by_their_labels_not_their_codes(signed_in, returned, delhi_uo):
    page = signed_in(delhi_uo).get(reverse("notices:detail", args=[returned.pk])).content.decode()
    history = page[page.index('<ol class="history">') :]
    history = history[: history.index("</ol>")]
    assert "Submitted → With the ILO for review" in history and "Returned for changes → Draft" in history
    assert "submit →" not in history and "ilo_review" not in history


def test_the_history_in_hindi_is_in_hindi(signed_in, returned, delhi_uo):
    client = signed_in(delhi_uo)
    client.cookies["django_language"] = "hi"
    page = client.get(reverse("notices:detail", args=[returned.pk])).content.decode()
    assert "जमा किया गया" in page and "बदलाव के लिए लौटाया गया" in page


def test_the_history_in_the_pdf_shows_moves_and_stages_by_their_labels(signed_in, returned, delhi_uo):
    response = signed_in(delhi_uo).get(reverse("notices:pdf", args=[returned.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Submitted by delhi_uo: Draft -> With the ILO for review" in text
    assert "Returned for changes by delhi_ilo" in text and "ilo_review" not in text
