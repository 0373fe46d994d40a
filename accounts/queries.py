"""Reads of accounts, already filtered to what the viewer may see."""

from accounts import access
from accounts.models import User


def get_account_for_user(viewer: User, pk: int) -> User:
    visible = User.objects.visible_to(viewer).select_related("agency", "unit", "station__district", "district", "supervisor")
    return access.get_or_404(viewer, visible, pk=pk)
