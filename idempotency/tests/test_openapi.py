"""The OpenAPI document tells API clients about the Idempotency-Key header (on a copy: the API caches its own)."""

import copy

from idempotency.openapi import document_idempotency_key
from openpol.api import api


def test_every_post_and_patch_operation_documents_the_header_and_no_read_does():
    schema = document_idempotency_key(copy.deepcopy(api.get_openapi_schema()))
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    assert schema["components"]["parameters"]["IdempotencyKey"]["in"] == "header"
    operations = [(method, op) for item in schema["paths"].values() for method, op in item.items()]
    writes = [op for method, op in operations if method in ("post", "patch")]
    assert writes and all(reference in op["parameters"] for op in writes)
    assert not any(reference in op.get("parameters", []) for method, op in operations if method == "get")


def test_documenting_twice_adds_the_header_once():
    schema = document_idempotency_key(document_idempotency_key(copy.deepcopy(api.get_openapi_schema())))
    parameters = schema["paths"]["/api/v1/notices/"]["post"]["parameters"]
    assert parameters.count({"$ref": "#/components/parameters/IdempotencyKey"}) == 1
