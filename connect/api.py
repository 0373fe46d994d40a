"""JSON API of the connect module."""

from ninja import Router

router = Router(tags=["connect"])
