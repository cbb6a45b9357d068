"""A refusal names the field it is about the way the reader's form does ("数量", "Quantity"),
never by its name in the API ("quantity" inside a Chinese sentence)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import person
from tuan.web.i18n import LOCALES, catalogue

ZH = {"Accept-Language": "zh-CN"}
HEADERS = {"header", "cookie"}


def _names(schema: dict[str, Any], components: dict[str, Any], seen: set[str]) -> set[str]:
    """Every property name in ``schema``, through references, lists and unions."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return set()
        seen.add(name)
        return _names(components[name], components, seen)
    found = set(schema.get("properties", {}))
    parts = [*schema.get("properties", {}).values()]
    parts += [
        schema[k] for k in ("items", "additionalProperties") if isinstance(schema.get(k), dict)
    ]
    parts += [s for k in ("anyOf", "oneOf", "allOf") for s in schema.get(k, [])]
    for part in parts:
        found |= _names(part, components, seen)
    return found


async def test_every_field_a_request_can_carry_has_a_label_in_both_languages(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json")).json()
    components = spec["components"]["schemas"]
    fields: set[str] = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                fields |= _names(content["schema"], components, set())
            fields |= {p["name"] for p in operation.get("parameters", []) if p["in"] not in HEADERS}
    assert {"quantity", "display_name", "name", "q"} <= fields
    for locale in LOCALES:
        missing = sorted(f for f in fields if f"field.{f}" not in catalogue(locale))
        assert missing == [], locale


async def test_a_refused_quantity_names_its_limit_with_the_forms_word(
    client: httpx.AsyncClient,
) -> None:
    mei = await person(client, "mei")
    for quantity, zh, en in (
        (100000, "“数量”不能大于 99。", "Quantity must be at most 99."),
        (0, "“数量”不能小于 1。", "Quantity must be at least 1."),
        (-5, "“数量”不能小于 1。", "Quantity must be at least 1."),
    ):
        body = {"quantity": quantity}
        chinese = await client.put("/api/v1/cart/items/1", headers={**mei.headers, **ZH}, json=body)
        assert chinese.status_code == 422
        assert chinese.json()["error"] == {
            "code": "INVALID_INPUT",
            "message": zh,
            "field": "quantity",
        }
        english = await client.put("/api/v1/cart/items/1", headers=mei.headers, json=body)
        assert english.json()["error"]["message"] == en
    order = {"items": [{"sku_id": 1, "quantity": 100}], "currency": "CNY"}
    refused = await client.post(
        "/api/v1/orders",
        headers={**mei.headers, **ZH, "Idempotency-Key": uuid.uuid4().hex},
        json=order,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "items.0.quantity"
    assert refused.json()["error"]["message"] == "“数量”不能大于 99。"


async def test_a_group_name_too_long_is_refused_with_its_limit_in_chinese(
    client: httpx.AsyncClient,
) -> None:
    mei = await person(client, "mei")
    spaces = await client.post(
        "/api/v1/groups", headers={**mei.headers, **ZH}, json={"name": "   "}
    )
    assert spaces.status_code == 422
    assert spaces.json()["error"]["message"] == "群名称须为 1 到 80 个字符。"
    english = await client.post("/api/v1/groups", headers=mei.headers, json={"name": "   "})
    assert english.json()["error"]["message"] == "A group name is 1 to 80 characters."
