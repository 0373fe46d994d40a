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

from accounts.models import Role

NCB_ROLES = frozenset({Role.NCB_ADMIN, Role.NCB_OFFICER})
CONNECT_ROLES = NCB_ROLES | {Role.ILO, Role.UO}


def _kind(user) -> str:
    if user.role in NCB_ROLES:
        return "ncb"
    if user.role in (Role.ILO, Role.UO):
        return user.role
    return "other"


def placed_together(a, b) -> bool:
    """The table above, by role and office alone (whether the accounts are active is not its concern)."""
    pair = frozenset({_kind(a), _kind(b)})
    if "other" in pair:
        return False
    if pair in ({"ncb"}, {"ncb", "ilo"}):
        return True  # NCB ↔ NCB, NCB ↔ any ILO
    if pair in ({"ilo"}, {"ilo", "uo"}):
        return a.agency_id is not None and a.agency_id == b.agency_id
    if pair == {"uo"}:
        return a.unit_id is not None and a.unit_id == b.unit_id
    return False  # NCB ↔ UO: a UO goes through its ILO


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
