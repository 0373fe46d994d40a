import pytest

from notices import services as notices
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data


@pytest.fixture
def red_draft(delhi_uo):
    """A Delhi Red notice request drafted in the Crime Branch (it waits on the unit office)."""
    return notices.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())


@pytest.fixture
def at_ilo(red_draft, delhi_uo):
    """The same request, submitted: it waits on Delhi Police's ILOs."""
    return notices.notice_submit(request=red_draft, by=delhi_uo)


@pytest.fixture
def at_ncb(at_ilo, delhi_ilo):
    """The same request, forwarded: it waits on the NCB."""
    return notices.notice_forward(request=at_ilo, by=delhi_ilo)
