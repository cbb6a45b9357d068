"""The OpenAPI document says what the edge enforces on every operation, not only what each route
declares: the refusals made before any route runs, the NUL that no text may carry, and limits
that are settings of the deployment.

- Every operation may answer 400 (a NUL in the address, broken JSON), every operation with
  parameters or a body 422, every operation with a body 413 (``tuan.http.limits``); all in the
  one error shape, never FastAPI's default validation body.
- Every request string without a stricter pattern, format or enumeration gets
  :data:`NO_NUL_PATTERN`, and so do the keys and values of free-form objects (:data:`ANY_JSON`):
  the address, the query and every body are refused with a NUL in them (``RefuseNulInUrl``,
  :func:`tuan.http.limits.refuse_nul_in_body`).
- A number bounded by a setting (``Field(json_schema_extra=setting_maximum("..."))``) shows the
  deployment's value as its ``maximum``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from tuan.http.errors import error_responses
from tuan.settings import Settings

NO_NUL_PATTERN = r"^[^\x00]*$"
# Free-form values (a message's payload, a webhook's extra fields): any JSON, but no NUL in any
# of its text, keys included.
ANY_JSON = "JsonWithoutNul"
ANY_JSON_REF = f"#/components/schemas/{ANY_JSON}"
SETTING_MAXIMUM = "x-tuan-maximum-setting"
# Keys under which a schema may hold other schemas.
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_STRING_NARROWERS = ("pattern", "format", "enum", "const", "contentMediaType", "contentEncoding")
_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


def setting_maximum(setting: str) -> dict[str, Any]:
    """``json_schema_extra`` for a number whose upper bound is the named setting."""
    return {SETTING_MAXIMUM: setting}


def install_openapi(app: FastAPI, settings: Settings) -> None:
    """Make ``app.openapi()`` produce the document described above (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            describe_edge(document, settings)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def describe_edge(document: dict[str, Any], settings: Settings) -> None:
    components = document.setdefault("components", {}).setdefault("schemas", {})
    seen: set[int] = set()
    for operation in _operations(document):
        _declare_edge_refusals(operation)
        for schema in _request_schemas(operation):
            _narrow(schema, components, settings, seen)
    # FastAPI's default 422 body, now answered nowhere.
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


def _operations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            if method in item:
                yield item[method]


def _declare_edge_refusals(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    statuses = [400]
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
    if "requestBody" in operation:
        statuses.append(413)
    for status, entry in error_responses(*statuses).items():
        documented = responses.get(str(status))
        if documented is None or "HTTPValidationError" in str(documented):
            responses[str(status)] = {
                "description": entry["description"],
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}
                },
            }


def _request_schemas(operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for parameter in operation.get("parameters", []):
        if "schema" in parameter:
            yield parameter["schema"]
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "schema" in media:
            yield media["schema"]


def _narrow(schema: Any, components: dict[str, Any], settings: Settings, seen: set[int]) -> None:
    """Add the NUL pattern to every plain string in ``schema`` (following references), and put
    settings' values into ``maximum``; each schema object is visited once."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    reference = schema.get("$ref", "")
    if reference.startswith("#/components/schemas/"):
        _narrow(components.get(reference.rsplit("/", 1)[1]), components, settings, seen)
    if _is_a("string", schema) and not any(k in schema for k in _STRING_NARROWERS):
        schema["pattern"] = NO_NUL_PATTERN
    if (_is_a("object", schema) or "properties" in schema) and schema.get(
        "additionalProperties", True
    ) in (True, {}):
        components.setdefault(ANY_JSON, _any_json_without_nul())
        schema["additionalProperties"] = {"$ref": ANY_JSON_REF}
        schema["propertyNames"] = {"pattern": NO_NUL_PATTERN}
    setting = schema.pop(SETTING_MAXIMUM, None)
    if setting is not None:
        for branch in (schema, *schema.get("anyOf", [])):
            if _is_a("integer", branch) or _is_a("number", branch):
                branch["maximum"] = getattr(settings, setting)
    for child in _children(schema):
        _narrow(child, components, settings, seen)


def _any_json_without_nul() -> dict[str, Any]:
    any_json = {"$ref": ANY_JSON_REF}
    return {
        "description": "Any JSON value in which no text, keys included, holds a NUL",
        "anyOf": [
            {"type": ["null", "boolean", "number"]},
            {"type": "string", "pattern": NO_NUL_PATTERN},
            {"type": "array", "items": any_json},
            {
                "type": "object",
                "propertyNames": {"pattern": NO_NUL_PATTERN},
                "additionalProperties": any_json,
            },
        ],
    }


def _is_a(kind: str, schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    return declared == kind or (isinstance(declared, list) and kind in declared)


def _children(schema: dict[str, Any]) -> Iterator[Any]:
    for key in _SUBSCHEMA_LISTS:
        yield from schema.get(key, [])
    for key in _SUBSCHEMA_ONE:
        if key in schema:
            yield schema[key]
    for key in _SUBSCHEMA_MAPS:
        yield from schema.get(key, {}).values()
