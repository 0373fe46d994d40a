"""The hierarchy: who may talk to whom in Connect, and who may join whose thread."""

import pytest

from connect import rules

pytestmark = pytest.mark.django_db

# (a, b, may they converse?) — the table of connect.rules, person by person. The rule is symmetric.
TABLE = [
    ("ncb_admin", "ncb_officer", True),
    ("ncb_officer", "delhi_ilo", True),
    ("ncb_officer", "mumbai_ilo", True),
    ("ncb_admin", "delhi_ilo", True),
    ("ncb_officer", "delhi_uo", False),
    ("delhi_ilo", "delhi_uo", True),
    ("delhi_ilo", "delhi_cyber_uo", True),
    ("delhi_ilo", "delhi_ilo_2", True),
    ("delhi_ilo", "mumbai_ilo", False),
    ("delhi_ilo", "mumbai_uo", False),
    ("mumbai_ilo", "delhi_uo", False),
    ("delhi_uo", "delhi_uo_2", True),
    ("delhi_uo", "delhi_cyber_uo", False),
    ("delhi_uo", "mumbai_uo", False),
    ("delhi_ilo", "delhi_station_officer", False),
    ("ncb_officer", "analyst", False),
    ("delhi_ilo", "analyst", False),
    ("delhi_uo", "citizen", False),
    ("ncb_admin", "citizen", False),
    ("ncb_admin", "sysadmin", False),
]


@pytest.mark.parametrize(("a", "b", "allowed"), TABLE, ids=[f"{a}-{b}" for a, b, _ in TABLE])
def test_who_may_converse_with_whom(request, a, b, allowed):
    first, second = request.getfixturevalue(a), request.getfixturevalue(b)
    assert rules.may_converse(first, second) is allowed
    assert rules.may_converse(second, first) is allowed


def test_nobody_converses_with_themselves_or_a_disabled_account(delhi_ilo, delhi_uo):
    assert not rules.may_converse(delhi_ilo, delhi_ilo)
    delhi_uo.is_active = False
    assert not rules.may_converse(delhi_ilo, delhi_uo)
    assert "disabled" in rules.why_not(delhi_ilo, delhi_uo)


def test_the_ncb_may_bring_ilos_of_several_agencies_into_its_thread(ncb_officer, delhi_ilo, mumbai_ilo):
    assert rules.may_join(creator=ncb_officer, adder=ncb_officer, user=mumbai_ilo)
    assert rules.may_join(creator=ncb_officer, adder=ncb_officer, user=delhi_ilo)


def test_an_ilo_cannot_pull_another_agencys_ilo_or_a_uo_into_an_ncb_thread(ncb_officer, delhi_ilo, mumbai_ilo, delhi_uo):
    assert not rules.may_join(creator=ncb_officer, adder=delhi_ilo, user=mumbai_ilo)
    assert not rules.may_join(creator=ncb_officer, adder=delhi_ilo, user=delhi_uo)


def test_a_uo_may_add_a_colleague_of_its_unit_to_its_ilos_thread(delhi_ilo, delhi_uo, delhi_uo_2, delhi_cyber_uo):
    assert rules.may_join(creator=delhi_ilo, adder=delhi_uo, user=delhi_uo_2)
    assert not rules.may_join(creator=delhi_ilo, adder=delhi_uo, user=delhi_cyber_uo)  # allowed with the ILO, not with the UO


def test_a_thread_goes_on_when_its_creators_account_is_disabled(delhi_ilo, delhi_uo):
    delhi_ilo.is_active = False
    assert rules.may_write(creator=delhi_ilo, user=delhi_uo)


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("delhi_ilo", "mumbai_ilo", "through a thread started by the NCB"),
        ("ncb_officer", "delhi_uo", "through the agency's ILO"),
        ("delhi_uo", "delhi_cyber_uo", "another unit office"),
        ("delhi_ilo", "mumbai_uo", "another agency"),
        ("delhi_ilo", "citizen", "not part of the NCB–ILO–UO hierarchy"),
    ],
)
def test_each_refusal_says_why_in_plain_words(request, a, b, reason):
    assert reason in rules.why_not(request.getfixturevalue(a), request.getfixturevalue(b))
