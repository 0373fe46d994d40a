"""Who may converse with whom in Connect: the NCB–ILO–UO hierarchy, as pure functions of two users.

    a \\ b         NCB staff   ILO                    UO                     anyone else
    NCB staff     yes         yes (any agency)       no                     no
    ILO           yes         same agency only       same agency only       no
    UO            no          same agency only       same unit only         no
    anyone else   no          no                     no                     no

"NCB staff" are NCB administrators and officers; "anyone else" is station officers, analysts,
citizens and system administrators. Nobody converses with a disabled account, nor with themselves.

A thread follows its creator: every participant must be allowed with the thread's creator, whoever
adds them. A thread started by NCB staff may therefore hold ILOs of several agencies, and that is
how one agency's ILO reaches another's: through the NCB's thread, never directly. Someone added later
must also be allowed with the participant who adds them, so an ILO cannot pull another agency's ILO
(or a UO) into an NCB thread; only the NCB can.
"""

from django.utils.translation import gettext as _

from accounts.offices import Level, Office

# Connect links the officers of these offices: the NCB, the agencies (their ILOs) and the unit offices (their UOs).
CONNECT_LEVELS = (Level.NATIONAL, Level.AGENCY, Level.UNIT)
KIND = {Level.NATIONAL: "ncb", Level.AGENCY: "ilo", Level.UNIT: "uo"}


def place(user) -> Office | None:
    """Where an account sits in Connect's hierarchy, active or not: the office it is an officer of, when that is the
    NCB, an agency or a unit office; None for anyone else (stations, analysts, citizens, system administrators)."""
    office = Office.of(user, active_only=False)
    if office is None or office.level not in CONNECT_LEVELS or not office.has_member(user):
        return None
    return office


def _kind(user) -> str:
    office = place(user)
    return KIND[office.level] if office is not None else "other"


def _directly_above(upper: Office, lower: Office) -> bool:
    """Is `upper` the office one level above `lower` and over it (the NCB over an agency, an agency over its unit)?"""
    return CONNECT_LEVELS.index(lower.level) - CONNECT_LEVELS.index(upper.level) == 1 and upper.covers(lower)


def placed_together(a, b) -> bool:
    """The table above, from the two accounts' offices alone (whether the accounts are active is not its concern): the
    same office, or an office and the one directly above it."""
    office_a, office_b = place(a), place(b)
    if office_a is None or office_b is None:
        return False
    return office_a == office_b or _directly_above(office_a, office_b) or _directly_above(office_b, office_a)


def may_converse(a, b) -> bool:
    """True when `a` and `b` may be in a conversation together (the table above; symmetric)."""
    return a.pk != b.pk and a.is_active and b.is_active and placed_together(a, b)


def may_join(*, creator, adder, user) -> bool:
    """May `adder` bring `user` into a thread started by `creator`? (Allowed with both of them.)"""
    if user.pk == creator.pk or not user.is_active:
        return False
    return placed_together(creator, user) and (adder.pk == creator.pk or may_converse(adder, user))


def may_write(*, creator, user) -> bool:
    """May a participant still write in a thread started by `creator`? Not once their office moved out of reach.

    The creator's own account may since have been disabled: the conversation goes on without them.
    """
    return user.pk == creator.pk or placed_together(creator, user)


def why_not(a, b) -> str:
    """The reason, in plain words, that `a` may not converse with `b` (for the error shown to `a`)."""
    name = b.get_full_name() or b.username
    if a.pk == b.pk:
        return _("You cannot start a conversation with yourself.")
    if not b.is_active:
        return _("%(name)s's account is disabled.") % {"name": name}
    kind_a, kind_b = _kind(a), _kind(b)
    if "other" in (kind_a, kind_b):
        return _("%(name)s is not part of the NCB–ILO–UO hierarchy: Connect is only for NCB staff, ILOs and Unit Officers.") % {
            "name": name
        }
    if kind_a == kind_b == "ilo":
        return _("%(name)s is an ILO of another agency: ILOs of different agencies talk through a thread started by the NCB.") % {
            "name": name
        }
    if {kind_a, kind_b} == {"ncb", "uo"}:
        return _("%(name)s cannot be reached directly: Unit Officers and the NCB talk through the agency's ILO.") % {"name": name}
    if kind_a == kind_b == "uo":
        return _("%(name)s works in another unit office: Unit Officers of different units talk through their ILO.") % {"name": name}
    return _("%(name)s belongs to another agency: ILOs talk only with the Unit Officers of their own agency.") % {"name": name}
