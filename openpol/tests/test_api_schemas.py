"""Each schema of the API has a name of its own: the OpenAPI document keys its components by class name, so two
classes with one name would document one operation's answers with the other's fields."""

from collections import Counter

from ninja import Schema

import openpol.api  # noqa: F401 - every router, and so every schema, imported


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_of_the_portal_share_a_name():
    # Not ninja's own: one response wrapper per operation, and the Input and Output nested in each paginator.
    ours = [cls for cls in _subclasses(Schema) if cls.__name__ != "NinjaResponseSchema" and "." not in cls.__qualname__]
    repeated = {name: n for name, n in Counter(cls.__name__ for cls in ours).items() if n > 1}
    assert repeated == {}
