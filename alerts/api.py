"""JSON API of the crime alerts module."""

from ninja import Router

router = Router(tags=["alerts"])
