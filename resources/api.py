"""JSON API of the resources module."""

from ninja import Router

router = Router(tags=["resources"])
