"""Groups through the API: every join policy, invite links, the member cap, roles, sub-groups."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from tests.factories import Person, invite_link, join_open_group, make_group, people, person
from tests.fakes import ShiftableClock
from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.chat.models import Member


async def member_ids(client: httpx.AsyncClient, who: Person, group_id: int) -> list[int]:
    response = await client.get(f"/api/v1/conversations/{group_id}/members", headers=who.headers)
    assert response.status_code == 200, response.text
    return sorted(m["user_id"] for m in response.json())


async def test_open_group_link_joins_at_once_and_the_group_sees_it(
    client: httpx.AsyncClient,
) -> None:
    owner, mei = await person(client, "owner"), await person(client, "mei")
    group_id = await make_group(client, owner, join_policy="open", name="五年级二班家长群")
    code = await invite_link(client, owner, group_id)
    preview = await client.get(f"/api/v1/invites/{code}", headers=mei.headers)
    assert preview.json()["name"] == "五年级二班家长群" and preview.json()["member_count"] == 1
    joined = await client.post(f"/api/v1/invites/{code}/join", headers=mei.headers, json={})
    assert joined.json() == {"status": "joined", "group_id": group_id, "request_id": None}
    assert await member_ids(client, mei, group_id) == sorted([owner.id, mei.id])
    history = await client.get(
        f"/api/v1/conversations/{group_id}/messages?after=0", headers=mei.headers
    )
    # the line says what happened as a code and parameters; each reader's page words it
    (line,) = history.json()["messages"]
    assert (line["kind"], line["text"]) == ("system", "")
    assert line["system"] == {"code": "member_joined", "params": {"user_id": mei.id, "name": "mei"}}
    again = await client.post(f"/api/v1/invites/{code}/join", headers=mei.headers, json={})
    assert again.status_code == 409 and again.json()["error"]["code"] == "ALREADY_MEMBER"


async def test_approval_group_queues_requests_with_the_answer(client: httpx.AsyncClient) -> None:
    owner, ann, bob = await people(client, "owner", "ann", "bob")
    group_id = await make_group(
        client, owner, join_policy="approval", join_question="Which class is your child in?"
    )
    code = await invite_link(client, owner, group_id)
    unanswered = await client.post(f"/api/v1/invites/{code}/join", headers=ann.headers, json={})
    assert unanswered.status_code == 422 and unanswered.json()["error"]["code"] == "ANSWER_REQUIRED"
    asked = await client.post(
        f"/api/v1/invites/{code}/join", headers=ann.headers, json={"answer": "五年级二班"}
    )
    assert asked.json()["status"] == "requested"
    await client.post(f"/api/v1/invites/{code}/join", headers=bob.headers, json={"answer": "?"})
    queue = await client.get(f"/api/v1/groups/{group_id}/join-requests", headers=owner.headers)
    assert [(r["user_id"], r["answer"]) for r in queue.json()] == [
        (ann.id, "五年级二班"),
        (bob.id, "?"),
    ]
    # not a member yet: the group is invisible to her
    assert (await client.get(f"/api/v1/groups/{group_id}", headers=ann.headers)).status_code == 404
    ann_request, bob_request = (r["id"] for r in queue.json())
    ok = await client.post(
        f"/api/v1/groups/{group_id}/join-requests/{ann_request}/approve", headers=owner.headers
    )
    no = await client.post(
        f"/api/v1/groups/{group_id}/join-requests/{bob_request}/decline", headers=owner.headers
    )
    assert ok.status_code == no.status_code == 204
    assert await member_ids(client, owner, group_id) == sorted([owner.id, ann.id])
    twice = await client.post(
        f"/api/v1/groups/{group_id}/join-requests/{ann_request}/approve", headers=owner.headers
    )
    assert twice.status_code == 404


async def test_introduced_group_admits_only_people_a_member_vouches_for(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner, cat, dan = await people(client, "owner", "cat", "dan")
    group_id = await join_open_group(client, owner, cat)
    await client.patch(
        f"/api/v1/groups/{group_id}", headers=owner.headers, json={"join_policy": "introduced"}
    )
    code = await invite_link(client, owner, group_id)
    by_link = await client.post(f"/api/v1/invites/{code}/join", headers=dan.headers, json={})
    assert by_link.status_code == 403 and by_link.json()["error"]["code"] == "INTRODUCTION_REQUIRED"

    introduced = await client.post(
        f"/api/v1/groups/{group_id}/introductions", headers=cat.headers, json={"user_id": dan.id}
    )
    assert introduced.status_code == 201
    invitations = await client.get("/api/v1/me/group-invitations", headers=dan.headers)
    (invitation,) = invitations.json()
    assert invitation["introduced_by"] == cat.id
    accepted = await client.post(
        f"/api/v1/me/group-invitations/{invitation['id']}/accept", headers=dan.headers
    )
    assert accepted.json()["status"] == "joined"
    async with container.db.read_sessions() as session:
        member = await session.get(Member, (group_id, dan.id))
    assert member is not None and member.introduced_by == cat.id  # recorded for trust
    history = await client.get(
        f"/api/v1/conversations/{group_id}/messages?after=0", headers=dan.headers
    )
    assert history.json()["messages"][-1]["system"] == {
        "code": "member_joined_introduced",
        "params": {"user_id": dan.id, "name": "dan", "introduced_by": cat.id, "introducer": "cat"},
    }


async def test_verified_only_group(client: httpx.AsyncClient, container: Container) -> None:
    owner, eve, fay = await people(client, "owner", "eve", "fay")
    async with container.uow() as uow:
        user = await uow.session.scalar(select(User).where(User.id == fay.id))
        assert user is not None
        user.verified = True
        await uow.commit()
    group_id = await make_group(client, owner, join_policy="verified")
    code = await invite_link(client, owner, group_id)
    refused = await client.post(f"/api/v1/invites/{code}/join", headers=eve.headers, json={})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "VERIFIED_ONLY"
    ok = await client.post(f"/api/v1/invites/{code}/join", headers=fay.headers, json={})
    assert ok.json()["status"] == "joined"


async def test_invite_links_expire_run_out_and_can_be_revoked(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    owner = await person(client, "owner")
    guests = [await person(client, f"guest{i}") for i in range(4)]
    group_id = await make_group(client, owner, join_policy="open")
    twice = await invite_link(client, owner, group_id, max_uses=2)
    for guest in guests[:2]:
        assert (
            await client.post(f"/api/v1/invites/{twice}/join", headers=guest.headers, json={})
        ).status_code == 200
    used_up = await client.post(f"/api/v1/invites/{twice}/join", headers=guests[2].headers, json={})
    assert used_up.status_code == 410 and used_up.json()["error"]["code"] == "INVITE_USED_UP"

    hourly = await invite_link(client, owner, group_id, expires_in_hours=1)
    clock.advance(hours=2)
    expired = await client.post(
        f"/api/v1/invites/{hourly}/join", headers=guests[2].headers, json={}
    )
    assert expired.status_code == 410 and expired.json()["error"]["code"] == "INVITE_EXPIRED"

    links = await client.get(f"/api/v1/groups/{group_id}/invite-links", headers=owner.headers)
    forever = await invite_link(client, owner, group_id)
    link_id = next(
        link["id"]
        for link in (
            await client.get(f"/api/v1/groups/{group_id}/invite-links", headers=owner.headers)
        ).json()
        if link["code"] == forever
    )
    assert len(links.json()) == 2
    await client.delete(f"/api/v1/groups/{group_id}/invite-links/{link_id}", headers=owner.headers)
    revoked = await client.post(
        f"/api/v1/invites/{forever}/join", headers=guests[3].headers, json={}
    )
    assert revoked.status_code == 404 and revoked.json()["error"]["code"] == "INVITE_INVALID"
    assert (
        await client.get("/api/v1/invites/no-such-code", headers=owner.headers)
    ).status_code == 404


async def test_member_cap_holds_under_concurrent_joins(client: httpx.AsyncClient) -> None:
    owner = await person(client, "owner")
    group_id = await make_group(client, owner, join_policy="open", member_cap=5)
    code = await invite_link(client, owner, group_id)
    guests = [await person(client, f"rush{i}") for i in range(12)]
    answers = await asyncio.gather(
        *(client.post(f"/api/v1/invites/{code}/join", headers=g.headers, json={}) for g in guests)
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) == 4 and statuses.count(409) == 8
    assert all(a.json()["error"]["code"] == "GROUP_FULL" for a in answers if a.status_code == 409)
    group = await client.get(f"/api/v1/groups/{group_id}", headers=owner.headers)
    assert group.json()["member_count"] == 5 == len(await member_ids(client, owner, group_id))


async def test_cap_settings_are_validated(client: httpx.AsyncClient) -> None:
    owner, mei = await person(client, "owner"), await person(client, "mei")
    group_id = await join_open_group(client, owner, mei)
    too_low = await client.patch(
        f"/api/v1/groups/{group_id}", headers=owner.headers, json={"member_cap": 1}
    )
    assert too_low.status_code == 422
    below_members = await client.post(
        "/api/v1/groups", headers=owner.headers, json={"name": "x", "member_cap": 501}
    )
    assert below_members.status_code == 422 and "500" in below_members.json()["error"]["message"]
    assert (
        await client.patch(
            f"/api/v1/groups/{group_id}", headers=owner.headers, json={"member_cap": 2}
        )
    ).status_code == 204
    dan = await person(client, "dan")
    code = await invite_link(client, owner, group_id)
    full = await client.post(f"/api/v1/invites/{code}/join", headers=dan.headers, json={})
    assert full.json()["error"]["code"] == "GROUP_FULL"


async def test_roles_decide_who_may_do_what(client: httpx.AsyncClient) -> None:
    owner, admin, amy, ben = await people(client, "owner", "admin", "amy", "ben")
    group_id = await join_open_group(client, owner, admin, amy, ben)
    base = f"/api/v1/groups/{group_id}"
    # members cannot manage
    assert (
        await client.put(
            f"{base}/members/{admin.id}/role", headers=amy.headers, json={"role": "admin"}
        )
    ).status_code == 403
    assert (await client.delete(f"{base}/members/{ben.id}", headers=amy.headers)).status_code == 403
    assert (await client.get(f"{base}/invite-links", headers=amy.headers)).status_code == 403
    assert (await client.get(f"{base}/join-requests", headers=amy.headers)).status_code == 403
    assert (
        await client.post(f"{base}/invite-links", headers=amy.headers, json={})
    ).status_code == 403
    # the owner appoints an admin, who can remove members but not other admins or the owner
    assert (
        await client.put(
            f"{base}/members/{admin.id}/role", headers=owner.headers, json={"role": "admin"}
        )
    ).status_code == 204
    assert (
        await client.put(
            f"{base}/members/{amy.id}/role", headers=admin.headers, json={"role": "admin"}
        )
    ).status_code == 403
    assert (
        await client.delete(f"{base}/members/{ben.id}", headers=admin.headers)
    ).status_code == 204
    assert (
        await client.delete(f"{base}/members/{owner.id}", headers=admin.headers)
    ).status_code == 403
    assert (
        await client.post(f"{base}/invite-links", headers=admin.headers, json={})
    ).status_code == 201
    # the removed member no longer sees the group
    assert (await client.get(base, headers=ben.headers)).status_code == 404
    # a member leaves; the owner cannot leave without handing over
    assert (await client.delete(f"{base}/members/{amy.id}", headers=amy.headers)).status_code == 204
    stuck = await client.delete(f"{base}/members/{owner.id}", headers=owner.headers)
    assert stuck.status_code == 409 and stuck.json()["error"]["code"] == "OWNER_CANNOT_LEAVE"
    # only the owner hands over and dissolves
    assert (
        await client.post(f"{base}/owner", headers=admin.headers, json={"user_id": admin.id})
    ).status_code == 403
    assert (
        await client.post(f"{base}/owner", headers=owner.headers, json={"user_id": admin.id})
    ).status_code == 204
    assert (await client.get(base, headers=admin.headers)).json()["my_role"] == "owner"
    assert (await client.get(base, headers=owner.headers)).json()["my_role"] == "admin"
    assert (await client.delete(base, headers=owner.headers)).status_code == 403
    assert (await client.delete(base, headers=admin.headers)).status_code == 204
    closed = await client.post(
        f"/api/v1/conversations/{group_id}/messages", headers=admin.headers, json={"text": "hi"}
    )
    assert closed.status_code == 403 and closed.json()["error"]["code"] == "CONVERSATION_CLOSED"


async def test_a_non_member_sees_nothing_of_a_group(client: httpx.AsyncClient) -> None:
    owner, stranger = await person(client, "owner"), await person(client, "stranger")
    group_id = await make_group(client, owner)
    for path in (
        f"/api/v1/groups/{group_id}",
        f"/api/v1/groups/{group_id}/subgroups",
        f"/api/v1/conversations/{group_id}/members",
        f"/api/v1/conversations/{group_id}/messages",
        f"/api/v1/groups/{group_id}/invite-links",
    ):
        response = await client.get(path, headers=stranger.headers)
        assert response.status_code == 404, path
    # the same answer as for a group that does not exist
    missing = await client.get("/api/v1/groups/999999", headers=stranger.headers)
    hidden = await client.get(f"/api/v1/groups/{group_id}", headers=stranger.headers)
    assert missing.json() == hidden.json()


async def test_subgroups_are_spun_off_discovered_and_joined(client: httpx.AsyncClient) -> None:
    owner, mei, out = await people(client, "owner", "mei", "outsider")
    parent = await join_open_group(client, owner, mei, name="五年级二班家长群")
    refused = await client.post(
        f"/api/v1/groups/{parent}/subgroups", headers=mei.headers, json={"name": "花草群"}
    )
    assert refused.status_code == 403  # default: admins create sub-groups
    made = await client.post(
        f"/api/v1/groups/{parent}/subgroups",
        headers=owner.headers,
        json={"name": "花草群 flowers", "join_policy": "open"},
    )
    sub = made.json()["id"]
    listed = await client.get(f"/api/v1/groups/{parent}/subgroups", headers=mei.headers)
    assert [(g["id"], g["is_member"]) for g in listed.json()] == [(sub, False)]
    assert (
        await client.get(f"/api/v1/groups/{parent}/subgroups", headers=out.headers)
    ).status_code == 404
    joined = await client.post(f"/api/v1/groups/{sub}/join-requests", headers=mei.headers, json={})
    assert joined.json()["status"] == "joined"
    outsider = await client.post(
        f"/api/v1/groups/{sub}/join-requests", headers=out.headers, json={}
    )
    assert outsider.status_code == 404
    detail = await client.get(f"/api/v1/groups/{sub}", headers=mei.headers)
    assert detail.json()["parent_id"] == parent
    chats = await client.get("/api/v1/conversations", headers=mei.headers)
    assert {c["id"]: c["parent_group_id"] for c in chats.json()}[sub] == parent
    # members may create sub-groups when the group allows it
    await client.patch(
        f"/api/v1/groups/{parent}", headers=owner.headers, json={"subgroups_by": "members"}
    )
    ok = await client.post(
        f"/api/v1/groups/{parent}/subgroups", headers=mei.headers, json={"name": "拼车群"}
    )
    assert ok.status_code == 201


async def test_approval_subgroup_queues_parent_members(client: httpx.AsyncClient) -> None:
    owner, mei = await person(client, "owner"), await person(client, "mei")
    parent = await join_open_group(client, owner, mei)
    sub = (
        await client.post(
            f"/api/v1/groups/{parent}/subgroups", headers=owner.headers, json={"name": "团购群"}
        )
    ).json()["id"]
    asked = await client.post(f"/api/v1/groups/{sub}/join-requests", headers=mei.headers, json={})
    assert asked.json()["status"] == "requested"
    duplicate = await client.post(
        f"/api/v1/groups/{sub}/join-requests", headers=mei.headers, json={}
    )
    assert duplicate.status_code == 409


@pytest.mark.parametrize("name", ["", " " * 3, "x" * 81])
async def test_bad_group_names_are_refused(client: httpx.AsyncClient, name: str) -> None:
    owner = await person(client, "owner")
    response = await client.post("/api/v1/groups", headers=owner.headers, json={"name": name})
    assert response.status_code == 422 and response.json()["error"]["field"] == "name"


async def test_members_come_with_what_the_viewer_may_do_to_them(
    client: httpx.AsyncClient,
) -> None:
    owner, admin, amy, out = await people(client, "owner", "admin", "amy", "outsider")
    group_id = await join_open_group(client, owner, admin, amy)
    base = f"/api/v1/groups/{group_id}"
    await client.put(
        f"{base}/members/{admin.id}/role", headers=owner.headers, json={"role": "admin"}
    )

    async def actions(viewer: Person) -> dict[int, list[str]]:
        members = await client.get(f"{base}/members", headers=viewer.headers)
        assert members.status_code == 200, members.text
        return {m["user_id"]: m["allowed_actions"] for m in members.json()}

    assert await actions(owner) == {
        owner.id: [],
        admin.id: ["remove", "make_member", "transfer_ownership"],
        amy.id: ["remove", "make_admin", "transfer_ownership"],
    }
    assert await actions(admin) == {owner.id: [], admin.id: [], amy.id: ["remove"]}
    assert await actions(amy) == {owner.id: [], admin.id: [], amy.id: []}
    assert (await client.get(f"{base}/members", headers=out.headers)).status_code == 404
    roles = {
        who.id: (await client.get(base, headers=who.headers)).json()["allowed_actions"]
        for who in (owner, admin, amy)
    }
    assert roles == {
        owner.id: ["manage", "create_subgroup", "introduce", "dissolve"],
        admin.id: ["manage", "create_subgroup", "introduce", "leave"],
        amy.id: ["introduce", "leave"],
    }
    # what is offered is what the server then allows
    assert (
        await client.delete(f"{base}/members/{amy.id}", headers=admin.headers)
    ).status_code == 204
    assert (await client.delete(base, headers=owner.headers)).status_code == 204
    assert (await client.get(base, headers=owner.headers)).json()["allowed_actions"] == []


async def test_renaming_a_group_renames_its_chat(client: httpx.AsyncClient) -> None:
    owner, mei = await people(client, "owner", "mei")
    group_id = await join_open_group(client, owner, mei, name="三年级")
    renamed = await client.patch(
        f"/api/v1/groups/{group_id}", headers=owner.headers, json={"name": "四年级"}
    )
    assert renamed.status_code == 204
    chats = (await client.get("/api/v1/conversations", headers=mei.headers)).json()
    assert {c["id"]: c["title"] for c in chats}[group_id] == "四年级"


async def test_an_admin_may_delete_a_line_the_server_wrote(client: httpx.AsyncClient) -> None:
    owner, mei = await people(client, "owner", "mei")
    group_id = await join_open_group(client, owner, mei)
    base = f"/api/v1/conversations/{group_id}/messages"
    lines = (await client.get(f"{base}?after=0", headers=owner.headers)).json()["messages"]
    joined = next(m for m in lines if m["system"]["code"] == "member_joined")
    deleted = await client.delete(f"{base}/{joined['seq']}", headers=owner.headers)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["deleted"] is True and deleted.json()["system"] is None
