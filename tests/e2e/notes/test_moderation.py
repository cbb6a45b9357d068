"""Reports and moderation of notes (issue 16): anyone who may see a note reports it or a
comment, once; an operator (the `tuan admin` commands, run here through the same functions)
hides a note or comment with a reason, or dismisses the report. A hidden note stays visible to
its author with the reason; a hidden comment disappears for everyone but its author.

Amy writes; Fay is her friend; Sam is a stranger who reads her public note.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import func, select

from tests.e2e.loop.loopkit import befriend
from tests.e2e.notes.test_notes_api import publish, refusal
from tests.e2e.test_cli import run_tuan
from tests.factories import people
from tests.live import live_server
from tuan.bootstrap import Container
from tuan.core.errors import TuanError
from tuan.notes import moderation
from tuan.notes.models import NoteReport


async def _reports(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NoteReport)) or 0)


async def _open(container: Container) -> list[moderation.OpenReport]:
    async with container.db.read_sessions() as session:
        return await moderation.open_reports(session)


async def test_a_report_is_filed_once_and_only_on_what_one_may_see(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, sam = await people(client, "amy", "fay", "sam")
    await befriend(client, amy, fay)
    public = (await publish(client, amy, title="全网最低价", audience="everyone")).json()["id"]
    friends_only = (await publish(client, amy, title="给朋友看", audience="friends")).json()["id"]
    for _ in range(2):  # a second report of the same note by the same person is a no-op
        filed = await client.post(
            f"/api/v1/notes/{public}/reports", headers=sam.headers, json={"reason": " 广告 "}
        )
        assert filed.status_code == 204, filed.text
    assert await _reports(container) == 1
    unseen = await client.post(
        f"/api/v1/notes/{friends_only}/reports", headers=sam.headers, json={"reason": "广告"}
    )
    assert refusal(unseen) == (404, "NOTE_NOT_FOUND", None)
    for reason in ("   ", "因" * 201):
        bad = await client.post(
            f"/api/v1/notes/{public}/reports", headers=fay.headers, json={"reason": reason}
        )
        assert bad.status_code == 422, bad.text
    no_comment = await client.post(
        f"/api/v1/notes/{public}/comments/{2**40}/reports",
        headers=fay.headers,
        json={"reason": "x"},
    )
    assert refusal(no_comment)[:2] == (404, "COMMENT_NOT_FOUND")
    assert await _reports(container) == 1
    [report] = await _open(container)
    assert (report.reporter_id, report.note_id, report.reason, report.excerpt) == (
        sam.id,
        public,
        "广告",
        "全网最低价",
    )


async def test_a_hidden_note_is_seen_by_its_author_only_with_the_reason(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, sam = await people(client, "amy", "fay", "sam")
    await befriend(client, amy, fay)
    note = (await publish(client, amy, title="全网最低价", audience="everyone")).json()["id"]
    await client.post(f"/api/v1/notes/{note}/reports", headers=sam.headers, json={"reason": "广告"})
    before = (await client.get(f"/api/v1/notes/{note}", headers=amy.headers)).json()
    assert (before["status"], before["hidden_reason"]) == (None, None)

    await container.run(moderation.hide_note, note_id=note, reason="虚假宣传")
    assert await _open(container) == []  # hiding resolved its report
    amys = await client.get(f"/api/v1/notes/{note}", headers=amy.headers)
    assert (amys.json()["status"], amys.json()["hidden_reason"]) == ("hidden", "虚假宣传")
    for headers in (fay.headers, sam.headers, {}):
        read = await client.get(f"/api/v1/notes/{note}", headers=headers)
        assert refusal(read) == (404, "NOTE_NOT_FOUND", None)
        assert "虚假宣传" not in read.text
        comments = await client.get(f"/api/v1/notes/{note}/comments", headers=headers)
        assert comments.status_code == 404
    liked = await client.put(f"/api/v1/notes/{note}/like", headers=fay.headers)
    assert refusal(liked) == (404, "NOTE_NOT_FOUND", None)


async def test_a_hidden_comment_is_gone_for_all_but_its_author_and_a_report_can_be_dismissed(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, sam = await people(client, "amy", "fay", "sam")
    note = (await publish(client, amy, title="开箱", audience="everyone")).json()["id"]
    rude = (
        await client.post(
            f"/api/v1/notes/{note}/comments", headers=sam.headers, json={"text": "加我微信买"}
        )
    ).json()
    kind = (
        await client.post(
            f"/api/v1/notes/{note}/comments", headers=fay.headers, json={"text": "写得好"}
        )
    ).json()
    for comment in (rude, kind):
        filed = await client.post(
            f"/api/v1/notes/{note}/comments/{comment['id']}/reports",
            headers=amy.headers,
            json={"reason": "广告"},
        )
        assert filed.status_code == 204, filed.text
    assert [r.excerpt for r in await _open(container)] == ["加我微信买", "写得好"]

    await container.run(moderation.hide_comment, comment_id=rude["id"], reason="站外交易")
    [left] = await _open(container)
    await container.run(moderation.dismiss_report, report_id=left.id)
    assert await _open(container) == []
    try:
        await container.run(moderation.dismiss_report, report_id=left.id)
    except TuanError as refused:
        assert refused.code == "NOTE_REPORT_NOT_FOUND"
    else:
        raise AssertionError("a resolved report was dismissed again")

    for reader in (amy, fay, None):
        headers = reader.headers if reader else {}
        listed = (await client.get(f"/api/v1/notes/{note}/comments", headers=headers)).json()
        assert [c["text"] for c in listed["comments"]] == ["写得好"], reader
    sams = (await client.get(f"/api/v1/notes/{note}/comments", headers=sam.headers)).json()
    assert [(c["text"], c["status"], c["hidden_reason"]) for c in sams["comments"]] == [
        ("加我微信买", "hidden", "站外交易"),
        ("写得好", "live", None),
    ]
    assert (await client.get(f"/api/v1/notes/{note}")).json()["comments"] == 1


def test_an_operator_moderates_from_the_command_line(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    with live_server(server_env, cwd=tmp_path) as server:
        api = httpx.Client(base_url=server.url + "/api/v1")
        amy, sam = (
            {"Authorization": f"Bearer {_signed_up(api, name)}"} for name in ("amy_cli", "sam_cli")
        )
        note = api.post("/notes", headers=amy, json={"title": "全网最低价", "audience": "everyone"})
        note_id = note.json()["id"]
        filed = api.post(f"/notes/{note_id}/reports", headers=sam, json={"reason": "广告"})
        assert filed.status_code == 204, filed.text

        listed = run_tuan("admin", "note-reports", env=server_env, cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert "1 open reports" in listed.stdout and "'广告' on '全网最低价'" in listed.stdout
        hidden = run_tuan(
            "admin", "hide-note", str(note_id), "--reason", "虚假宣传", env=server_env, cwd=tmp_path
        )
        assert hidden.returncode == 0, hidden.stderr
        assert api.get(f"/notes/{note_id}", headers=sam).status_code == 404
        assert api.get(f"/notes/{note_id}", headers=amy).json()["hidden_reason"] == "虚假宣传"
        unknown = run_tuan("admin", "dismiss-report", "999", env=server_env, cwd=tmp_path)
        assert unknown.returncode == 1 and "No open report" in unknown.stderr
        assert (
            "0 open reports"
            in run_tuan("admin", "note-reports", env=server_env, cwd=tmp_path).stdout
        )


def _signed_up(api: httpx.Client, name: str) -> str:
    password = "a good long password"
    made = api.post(
        "/accounts", json={"username": name, "display_name": name, "password": password}
    )
    assert made.status_code == 201, made.text
    token: str = api.post("/sessions", json={"username": name, "password": password}).json()[
        "token"
    ]
    return token


async def test_reports_sent_at_the_same_moment_file_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, sam = await people(client, "amy", "sam")
    public = (await publish(client, amy, title="全网最低价", audience="everyone")).json()["id"]
    sent = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/notes/{public}/reports", headers=sam.headers, json={"reason": "广告"}
            )
            for _ in range(6)
        )
    )
    assert [r.status_code for r in sent] == [204] * 6
    assert await _reports(container) == 1
