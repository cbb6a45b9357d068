"""Before and after a hidden action, every figure anyone else sees is the same.

A table-driven comparison through the HTTP API. Every viewer's every derived figure — ratings
(overall, friends, each group, trust-weighted, the review list with its trust weights and
verified flags), social proof, the sharer's reputation and its explanation, "For you" and its
reasons, the asker's suggested answerers, team lists, share trees, live cards, notifications,
the group chats — is read before a hidden action, read again after it, and compared. Only the
actor, the people her setting names, and what a few others are entitled to (below) may differ;
and they must differ, or the comparison would prove nothing.

The world: Sam runs group G1 (with Ava, Gina, Bob and Rita) and shares P, Q and R there; Ava also
runs G2 (with Gus and Bob) and is friends with Fred; Stan knows nobody; a shop sells P, Q, R and
T (T by team purchase). Before the comparison Ava bought P and Q through Sam's cards and rated
P 2★; Rita (who shows everything to her groups) bought P through Sam's card and rated it 5★;
Gina asked G1 for snacks; Ava blocked Bob. Then Ava, one action at a time: rates Q 1★ (not posted
to the chat), buys R through Sam's card, opens a public team on T.

Entitled beyond the actor and her audience: the shop sees every purchase in its share trees (it
holds the orders); Sam counts every purchase on his own cards in his record and his tree (his
commission shows them; never who). A team's progress is anonymous offer state, like stock (see
``tuan.groupbuy.queries``): it is left out, and a team is compared by whom it names.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any

import httpx
import pytest

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import befriend, delivered_order, open_team, review, share_card, show
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container

VIEWERS = ("ava", "fred", "gina", "gus", "stan", "sam", "shop", "bob")
# Whom each audience Ava may choose shows her behaviour to, among the viewers ("groups" is G1;
# Bob is in G1 but blocked).
AUDIENCE: dict[str, set[str]] = {"nobody": set(), "friends": {"fred"}, "groups": {"gina", "sam"}}
Setting = dict[str, str]  # kind -> Ava's audience for it

SETTINGS: dict[str, Setting] = {
    "all hidden": {"purchases": "nobody", "ratings": "nobody"},
    "ratings shown to G1": {"purchases": "nobody", "ratings": "groups"},
    "purchases shown to friends": {"purchases": "friends", "ratings": "nobody"},
}


@dataclass
class World:
    people: dict[str, Person]
    groups: dict[str, int]
    products: dict[str, dict[str, Any]]
    shares: dict[str, int]  # Sam's card of each of P, Q, R, in G1
    ask_id: int = 0
    orders: dict[tuple[str, str], int] = field(default_factory=dict)  # (buyer, product)

    def sku(self, product: str) -> int:
        return int(self.products[product]["skus"][0]["id"])


async def _product(
    client: httpx.AsyncClient, owner: Person, shop_id: int, name: str, **fields: Any
) -> dict[str, Any]:
    sku: dict[str, Any] = {"label": "one", "price": 9900, "stock": 50}
    if "team_size" in fields:
        sku["team_price"] = 6900
    return await list_product(client, owner, shop_id, name=name, skus=[sku], **fields)


async def _people_and_places(client: httpx.AsyncClient, container: Container) -> World:
    owner = await merchant(client, container, "shop")
    shop = (await open_shop(client, owner, commission_rate_bp=1000))["id"]
    products = {
        "P": await _product(client, owner, shop, "每日坚果 Daily nuts", category="snacks"),
        "Q": await _product(client, owner, shop, "巴旦木 Almonds", category="snacks"),
        "R": await _product(client, owner, shop, "收纳盒 Storage box", category="household"),
        "T": await _product(client, owner, shop, "牛奶 Milk", category="fresh", team_size=3),
    }
    names = ("ava", "fred", "gina", "gus", "stan", "sam", "bob", "rita")
    p = dict(zip(names, await people(client, *names), strict=True))
    p["shop"] = owner
    await befriend(client, p["ava"], p["fred"])
    g1 = await join_open_group(client, p["sam"], p["ava"], p["gina"], p["bob"], p["rita"])
    g2 = await join_open_group(client, p["ava"], p["gus"], p["bob"])
    shares = {}
    for name in ("P", "Q", "R"):
        card = await share_card(client, p["sam"], g1, products[name]["id"])
        assert card.status_code == 201, card.text
        shares[name] = int(card.json()["share_id"])
    return World(p, {"G1": g1, "G2": g2}, products, shares)


async def build(client: httpx.AsyncClient, container: Container, setting: Setting) -> World:
    world = await _people_and_places(client, container)
    p = world.people
    await show(client, p["rita"], "purchases", "shared_groups")
    await show(client, p["rita"], "ratings", "shared_groups")
    for buyer, product in (("ava", "P"), ("ava", "Q"), ("rita", "P")):
        order = await delivered_order(
            client, container, p[buyer], p["shop"], world.sku(product), world.shares[product]
        )
        world.orders[(buyer, product)] = int(order["id"])
    for buyer, stars in (("ava", 2), ("rita", 5)):
        order = world.orders[(buyer, "P")]
        rated = await review(client, p[buyer], order, stars, "嗯", post_to_chat=False)
        assert rated.status_code == 201, rated.text
    asked = await client.post(
        "/api/v1/asks",
        headers=p["gina"].headers,
        json={"text": "求推荐零食 snacks?", "conversation_ids": [world.groups["G1"]]},
    )
    assert asked.status_code == 201, asked.text
    world.ask_id = int(asked.json()["id"])
    blocked = await client.put(f"/api/v1/blocks/{p['bob'].id}", headers=p["ava"].headers)
    assert blocked.status_code in (200, 204), blocked.text
    for kind, audience in setting.items():
        chosen = (world.groups["G1"],) if audience == "groups" else ()
        await show(client, p["ava"], kind, audience, chosen)
    await settle(container)
    return world


# --- the figures: what each viewer is shown, by endpoint, flattened to path -> value ---


def _named_teams(teams: Any) -> Any:
    """A team list compared by whom it names: a team naming nobody says nothing about anyone,
    and its progress is anonymous offer state."""
    return {
        str(t["id"]): {
            "opener": t["opener_display_name"],
            "members": t["member_names"],
            "member": t["you_are_member"],
        }
        for t in teams
        if t["opener_display_name"] is not None or t["member_names"]
    }


def _card_counts(card: Any) -> Any:
    return card["counts"]


def _chat(body: Any) -> Any:
    return [(m["seq"], m["kind"], m["text"], m["payload"]) for m in body["messages"]]


Figure = tuple[str, str, Callable[[Any], Any] | None]  # name, path, what of it to compare


def figures(world: World) -> list[Figure]:
    """Every endpoint that can say something about someone's purchases or ratings."""
    pid = {name: product["id"] for name, product in world.products.items()}
    table: list[Figure] = []
    for name in ("P", "Q", "R", "T"):
        table.append((f"ratings:{name}", f"/products/{pid[name]}/ratings", None))
        table.append((f"proof:{name}", f"/products/{pid[name]}/social-proof", None))
    for name in ("P", "Q"):
        for group, gid in world.groups.items():
            path = f"/products/{pid[name]}/ratings?group_id={gid}"
            table.append((f"ratings:{name}:{group}", path, None))
    for name, share in world.shares.items():
        table.append((f"tree:{name}", f"/cards/{share}/tree", None))
        table.append((f"card:{name}", f"/cards/{share}", _card_counts))
    table += [
        ("reputation:sam", f"/users/{world.people['sam'].id}/reputation", None),
        ("for_you", "/me/for-you", None),
        ("ask", f"/asks/{world.ask_id}", None),
        ("teams:T", f"/products/{pid['T']}/teams", _named_teams),
        ("notifications", "/notifications", None),
    ]
    for group, gid in world.groups.items():
        table.append((f"chat:{group}", f"/conversations/{gid}/messages", _chat))
    return table


def flatten(prefix: str, value: Any, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key != "seconds_left":  # time passing, not anyone's behaviour
                flatten(f"{prefix}/{key}", inner, into)
    elif isinstance(value, list | tuple):
        into[f"{prefix}/#"] = len(value)
        for index, inner in enumerate(value):
            flatten(f"{prefix}/{index}", inner, into)
    else:
        into[prefix] = value


async def snapshot(client: httpx.AsyncClient, world: World, viewer: str) -> dict[str, Any]:
    who = world.people[viewer]
    seen: dict[str, Any] = {}
    for name, path, shape in figures(world):
        response = await client.get(f"/api/v1{path}", headers=who.headers)
        if response.status_code != 200:  # not theirs to see, before and after alike
            seen[name] = response.status_code
            continue
        body = response.json()
        flatten(name, shape(body) if shape else body, seen)
    return seen


def same(a: Any, b: Any) -> bool:
    # Trust decays with a half-life of 90 days: seconds apart, a rounded weight may tick.
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=2e-3)
    return bool(a == b)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        path: (before.get(path), after.get(path))
        for path in sorted(set(before) | set(after))
        if not same(before.get(path), after.get(path))
    }


# --- the hidden actions, and what they entitle others to see ---


@dataclass(frozen=True)
class Action:
    name: str
    kind: str  # purchases | ratings: whose audience it is shown to
    do: Callable[[httpx.AsyncClient, World], Awaitable[None]]
    # Viewer -> the figures they may see move whatever Ava's setting (and must see move).
    entitled: dict[str, tuple[str, ...]] = field(default_factory=dict)


async def rate_q(client: httpx.AsyncClient, world: World) -> None:
    ava = world.people["ava"]
    rated = await review(client, ava, world.orders[("ava", "Q")], 1, "太小", post_to_chat=False)
    assert rated.status_code == 201, rated.text


async def buy_r(client: httpx.AsyncClient, world: World) -> None:
    await buy(client, world.people["ava"], world.sku("R"), share_id=world.shares["R"])


async def open_team_t(client: httpx.AsyncClient, world: World) -> None:
    await open_team(client, world.people["ava"], world.sku("T"), public=True)


ACTIONS = (
    Action("rates Q 1★ (not in the chat)", "ratings", rate_q),
    Action(
        "buys R through Sam's card",
        "purchases",
        buy_r,
        {"sam": ("reputation:sam/*/purchases", "tree:R/*"), "shop": ("tree:R/*",)},
    ),
    Action("opens a public team on T", "purchases", open_team_t),
)


def unexpected(
    action: Action, audience: set[str], viewer: str, moved: dict[str, tuple[Any, Any]]
) -> str | None:
    """What is wrong with what ``viewer`` saw move, or None."""
    if viewer == "ava" or viewer in audience:
        return None if moved else "saw nothing move, though Ava's setting shows it to them"
    allowed = action.entitled.get(viewer, ())
    leaked = {p: v for p, v in moved.items() if not any(fnmatch(p, a) for a in allowed)}
    if leaked:
        return f"saw {leaked}"
    missing = [a for a in allowed if not any(fnmatch(p, a) for p in moved)]
    return f"did not see {missing} move, which they are entitled to" if missing else None


def verified_flags_reveal(world: World, viewer: str, seen: dict[str, Any]) -> list[str]:
    """Paths where a review of Ava's says "verified purchase" to someone not entitled to it."""
    ava = world.people["ava"].id
    return [
        path
        for path, value in seen.items()
        if path.endswith("/author_id")
        and value == ava
        and seen.get(path.replace("/author_id", "/verified_purchase")) is True
    ]


@pytest.mark.parametrize("setting", list(SETTINGS))
async def test_a_hidden_action_moves_no_figure_anyone_else_sees(
    client: httpx.AsyncClient, container: Container, setting: str
) -> None:
    world = await build(client, container, SETTINGS[setting])
    before = {viewer: await snapshot(client, world, viewer) for viewer in VIEWERS}
    # The figures compared are alive: Rita's purchase and rating, which G1 may see, are in them.
    assert before["gina"]["ask/suggested_answerers/0/display_name"] == "sam"
    assert before["gina"]["for_you/items/#"] >= 1
    assert before["gina"]["ratings:P/reviews/0/trust"] > 0
    assert before["sam"]["tree:P/purchases"] == before["shop"]["tree:P/purchases"] == 2
    problems = []
    for action in ACTIONS:
        await action.do(client, world)
        await settle(container)
        after = {viewer: await snapshot(client, world, viewer) for viewer in VIEWERS}
        audience = AUDIENCE[SETTINGS[setting][action.kind]]
        for viewer in VIEWERS:
            wrong = unexpected(action, audience, viewer, changes(before[viewer], after[viewer]))
            if wrong:
                problems.append(f"{action.name}: {viewer} {wrong}")
            if viewer != "ava" and viewer not in AUDIENCE[SETTINGS[setting]["purchases"]]:
                revealing = verified_flags_reveal(world, viewer, after[viewer])
                if revealing:
                    problems.append(f"{action.name}: {viewer} is told Ava bought: {revealing}")
        before = after
    assert not problems, "\n".join(problems)
