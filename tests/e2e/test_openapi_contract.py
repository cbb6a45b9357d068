"""The OpenAPI document says what the code enforces: the refusals every operation can meet, the
NUL no text may carry, integers bounded within int64, and limits as the deployment sets them.
(The fuzzing in test_fuzz_openapi.py then holds the server to it.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx

from tuan.chat.domain import MAX_TEXT
from tuan.http.openapi import NO_NUL_PATTERN
from tuan.settings import Settings

INT64 = (-(2**63), 2**63 - 1)
METHODS = ("get", "put", "post", "delete", "patch")


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def _request_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object a request may carry, with where it sits, references followed."""
    components = spec["components"]["schemas"]
    seen: set[int] = set()

    def walk(where: str, schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        if not isinstance(schema, dict) or id(schema) in seen:
            return
        seen.add(id(schema))
        yield where, schema
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            yield from walk(name, components[name])
        for key in ("anyOf", "allOf", "oneOf"):
            for branch in schema.get(key, []):
                yield from walk(where, branch)
        for key in ("items", "additionalProperties"):
            yield from walk(f"{where}[]", schema.get(key))
        for name, child in schema.get("properties", {}).items():
            yield from walk(f"{where}.{name}", child)

    for label, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            yield from walk(f"{label} {parameter['name']}", parameter["schema"])
        for media in operation.get("requestBody", {}).get("content", {}).values():
            yield from walk(f"{label} body", media["schema"])


def _is(kind: str, schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    return declared == kind or (isinstance(declared, list) and kind in declared)


async def _spec(client: httpx.AsyncClient) -> dict[str, Any]:
    spec: dict[str, Any] = (await client.get("/openapi.json")).json()
    return spec


async def test_every_integer_a_request_carries_is_bounded_within_int64(
    client: httpx.AsyncClient,
) -> None:
    unbounded = [
        where
        for where, schema in _request_schemas(await _spec(client))
        if _is("integer", schema)
        and not (
            INT64[0] <= schema.get("minimum", schema.get("exclusiveMinimum", INT64[0] - 1))
            and schema.get("maximum", schema.get("exclusiveMaximum", INT64[1] + 1)) <= INT64[1]
        )
    ]
    assert unbounded == []


async def test_no_text_a_request_carries_may_hold_a_nul(client: httpx.AsyncClient) -> None:
    open_text = []
    for where, schema in _request_schemas(await _spec(client)):
        if not _is("string", schema) or {"enum", "const", "format"} & schema.keys():
            continue
        if schema.get("contentMediaType") == "application/octet-stream":
            continue  # an uploaded file: bytes, not text
        pattern = schema.get("pattern")
        if pattern is None or re.search(pattern, "a\x00b") or re.search(pattern, "\x00"):
            open_text.append(where)
    assert open_text == []
    webhook = (await _spec(client))["paths"]["/api/v1/payments/webhooks/sandbox"]["post"]
    body = webhook["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["reference"]["pattern"] == NO_NUL_PATTERN


async def test_every_operation_documents_the_refusals_the_edge_makes_in_the_error_shape(
    client: httpx.AsyncClient,
) -> None:
    spec = await _spec(client)
    assert "HTTPValidationError" not in str(spec)
    for label, operation in _operations(spec):
        responses = operation["responses"]
        assert "400" in responses, label  # a NUL in the address, broken JSON
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in responses, label
        if "requestBody" in operation:
            assert "413" in responses, label
        for status, response in responses.items():
            if status.startswith("4"):
                shape = response["content"]["application/json"]["schema"]
                assert shape == {"$ref": "#/components/schemas/ErrorResponse"}, (label, status)


async def test_limits_are_the_ones_the_code_applies(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    schemas = (await _spec(client))["components"]["schemas"]
    for model in ("PostIn", "EditIn"):
        assert schemas[model]["properties"]["text"]["maxLength"] == MAX_TEXT == 4000
    for model in ("GroupIn", "GroupPatch"):
        cap = schemas[model]["properties"]["member_cap"]["anyOf"][0]
        assert cap["maximum"] == settings.group_member_cap == 500
