"""JSON API of the broadcast module."""

from ninja import Router

router = Router(tags=["broadcast"])
