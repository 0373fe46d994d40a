"""The Idempotency-Key header in the OpenAPI document, on every operation that creates or changes something."""

from idempotency.middleware import HEADER, MAX_KEY_LENGTH, REPLAYED

PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "example": '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
    "description": (
        "A unique key of your choosing (a UUID) that makes a retry safe (draft-ietf-httpapi-idempotency-key-header). "
        "Sent again with the same payload, the request is not run twice: you get the first answer again, with the header "
        f"`{REPLAYED}: true`. The same key with another payload answers 422; while the first request is still being "
        "processed, 409. Only successful answers are kept, for 24 hours: after an error the key may be used again."
    ),
}
METHODS = ("post", "patch")


def document_idempotency_key(schema: dict) -> dict:
    """Add the header to every POST and PATCH operation of an OpenAPI document (a dict, changed in place and returned)."""
    schema.setdefault("components", {}).setdefault("parameters", {})["IdempotencyKey"] = PARAMETER
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    for path_item in schema.get("paths", {}).values():
        for method in METHODS:
            operation = path_item.get(method)
            if operation is not None and reference not in operation.setdefault("parameters", []):
                operation["parameters"].append(reference)
    return schema
