"""JSON API of the records module."""

from ninja import Router

router = Router(tags=["records"])
