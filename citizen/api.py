"""JSON API of the citizen module."""

from ninja import Router

router = Router(tags=["citizen"])
