"""HQ's /openapi.json: FastAPI's document plus what FastAPI cannot see.

Why (issue 18): POST /v1/push reads its body itself (pydantic-core straight from bytes, after
authentication), so its request body is declared by hand; it was declared with the model's
own JSON schema, whose `"$ref": "#/$defs/OutboxEventIn"` resolved to nothing in the OpenAPI
document, and a client or fuzzer could not build a push. Here such models are added to
`components/schemas` with their references pointing there, the security schemes of the route
classes are declared, and the document is checked: a reference that does not resolve is a
bug found when the document is built, not by a client. A pair of integers (JournalStatus.gaps)
is declared as an array of exactly two integers rather than with 3.1's `prefixItems`, which
schemathesis 4.32 reads as the older list form of `items` and rejects: the same values.

Threads: built once, on the first request for it (the event loop), then cached by FastAPI.
"""
from __future__ import annotations

from typing import Any, Iterator

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from hq.api.routing import SECURITY_SCHEMES

REF_TEMPLATE = "#/components/schemas/{model}"


def body_ref(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` of a route whose JSON body is `model`, read by the route itself."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}}}}}


def install(app: FastAPI, *hand_read_bodies: type[BaseModel]) -> None:
    """Make `app.openapi()` build the document described in the module docstring."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, routes=app.routes,
                              description=app.description)
            components = doc.setdefault("components", {})
            schemas = components.setdefault("schemas", {})
            for model in hand_read_bodies:
                schema = model.model_json_schema(ref_template=REF_TEMPLATE)
                for name, definition in {**schema.pop("$defs", {}),
                                         model.__name__: schema}.items():
                    if schemas.setdefault(name, definition) != definition:
                        raise ValueError(f"two different schemas named {name!r}")
            components["securitySchemes"] = SECURITY_SCHEMES
            _uniform_tuples_as_arrays(doc)
            unresolved = [ref for ref in refs(doc) if resolve(doc, ref) is None]
            if unresolved:
                raise ValueError(f"unresolved $ref in /openapi.json: {unresolved}")
            app.openapi_schema = doc
        return app.openapi_schema
    app.openapi = openapi  # type: ignore[method-assign]


def _uniform_tuples_as_arrays(node: Any) -> None:
    """{"prefixItems": [S, S], "minItems": 2, "maxItems": 2} -> {"items": S, ...}, in place."""
    if isinstance(node, dict):
        items = node.get("prefixItems")
        if (isinstance(items, list) and items and "items" not in node
                and all(item == items[0] for item in items)
                and node.get("minItems") == node.get("maxItems") == len(items)):
            node["items"] = node.pop("prefixItems")[0]
        for value in node.values():
            _uniform_tuples_as_arrays(value)
    elif isinstance(node, list):
        for item in node:
            _uniform_tuples_as_arrays(item)


def refs(node: Any) -> Iterator[str]:
    """Every "$ref" value in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(doc: dict, ref: str) -> Any:
    """What a local "#/a/b" reference points to in `doc`, or None."""
    if not ref.startswith("#/"):
        return None
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
