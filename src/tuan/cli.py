"""The ``tuan`` command line."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tuan.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="Tuan (团): shopping inside group chats. Run a server, seed a demo, manage the database.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema: migrations with Alembic.", no_args_is_help=True)
admin_app = typer.Typer(help="Operator actions on accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")


def _mount_domain_commands() -> None:
    from tuan.discovery import domain_modules

    for module in domain_modules("cli"):
        app.add_typer(module.app, name=module.__name__.split(".")[1])


# soft_wrap: an error stays one line however narrow the terminal (or pipe) is.
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _require_extra(extra: str, *modules: str) -> None:
    from tuan.core.extras import MissingExtra, require_extra

    try:
        require_extra(extra, *modules)
    except MissingExtra as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "heads",
) -> None:
    """Upgrade the database (TUAN_DATABASE_URL) to the latest schema."""
    from tuan.core.migrate import current_revision, upgrade

    settings = _settings()
    asyncio.run(upgrade(settings.database_url, revision))
    revisions = asyncio.run(current_revision(settings.database_url))
    console.print(f"database at revision {', '.join(revisions)}")


@db_app.command("current")
def db_current() -> None:
    """Show the database's schema revision and the code's."""
    from tuan.core.migrate import current_revision, head_revision

    settings = _settings()
    revisions = asyncio.run(current_revision(settings.database_url))
    console.print(f"database: {', '.join(revisions) or 'empty'}")
    console.print(f"code:     {', '.join(head_revision())}")


def _check_schema(settings: Settings) -> None:
    from tuan.core.migrate import current_revision, head_revision

    current, head = asyncio.run(current_revision(settings.database_url)), head_revision()
    if current != head:
        where = f"at schema revision {', '.join(current)}" if current else "empty (no schema)"
        raise _fail(
            f"the database is {where}, the code needs {', '.join(head)}: "
            "run 'tuan db upgrade' first"
        )


def _serve(settings: Settings, banner: list[str] | None = None) -> None:
    import uvicorn

    from tuan.bootstrap import bootstrap
    from tuan.http.app import create_app

    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    container = bootstrap(settings)
    config = uvicorn.Config(
        create_app(container),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        ws_max_size=256 * 1024,
        server_header=False,
        # uvicorn would believe X-Forwarded-For from loopback; the app believes only the proxies
        # in TUAN_TRUSTED_PROXIES (tuan.http.hardening).
        proxy_headers=False,
    )
    for line in banner or []:
        console.print(line)
    uvicorn.Server(config).run()


@app.command()
def serve() -> None:
    """Run the server (TUAN_HOST:TUAN_PORT) on the configured database and bus."""
    settings = _settings()
    _check_schema(settings)
    _serve(settings)


@app.command()
def demo(
    size: Annotated[int, typer.Option(min=20, max=100_000, help="People in the community")] = 300,
) -> None:
    """Upgrade the database, seed a demo community (once) and serve it."""
    _require_extra("demo", "httpx")  # the demo plays its activity out through the HTTP API
    from tuan.core.migrate import upgrade
    from tuan.demo.activity import seed_activity
    from tuan.demo.commerce import seed_demo_shops
    from tuan.demo.community import DEMO_PASSWORD, SHOPKEEPERS, SHOPPERS, seed_demo, work_units
    from tuan.demo.roles import demo_owners, describe

    settings, push_note = _with_demo_push(_settings())
    asyncio.run(upgrade(settings.database_url))

    async def seed() -> list[str]:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            with Progress(
                TextColumn("seeding the demo community"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
            ) as progress:
                task = progress.add_task("seed", total=work_units(size))
                await seed_demo(container, size=size, progress=lambda n: progress.advance(task, n))
            # The shops belong to the shopkeepers; the first logins stay shoppers.
            await seed_demo_shops(container, [p.username for p in SHOPKEEPERS])
            with console.status("playing out shares, purchases and reviews in the groups"):
                await seed_activity(container, DEMO_PASSWORD)
            owners = await demo_owners(container)
            return describe(owners, [p.username for p in SHOPPERS], DEMO_PASSWORD)
        finally:
            await container.close()

    roles = asyncio.run(seed())
    url = f"http://{settings.host}:{settings.port}"
    _serve(
        settings,
        banner=[
            f"[bold green]Tuan demo[/bold green] on {settings.database_url} at [bold]{url}[/bold]",
            f"API docs: {url}/docs",
            push_note,
            *roles,
        ],
    )


def _with_demo_push(settings: Settings) -> tuple[Settings, str]:
    """The demo with Web Push on: when no keys are configured, its own pair, made once and kept
    beside its database (readable by its owner only), so a browser that subscribed stays
    subscribed across restarts. Settings → Notifications on this device then works."""
    import json

    if settings.push_configured:
        return settings, "Notifications: Web Push on, with the configured keys"
    from tuan.push.vapid import generate_keys

    kept = settings.media_dir.parent / "demo-push-keys.json"
    if kept.exists():
        private, public = json.loads(kept.read_text())
    else:
        private, public = generate_keys()
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.touch(mode=0o600)
        kept.write_text(json.dumps([private, public]))
    with_push = Settings(
        **{
            **settings.model_dump(),
            "vapid_private_key": private,
            "vapid_public_key": public,
            "vapid_subject": "mailto:demo@tuan.invalid",
        }
    )
    return with_push, f"Notifications: Web Push on, with keys made for the demo ({kept})"


@admin_app.command("verify")
def admin_verify(
    username: str,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the verified flag")] = False,
) -> None:
    """Mark USERNAME as real-name verified (only operators can)."""
    from tuan.accounts import service
    from tuan.core.errors import TuanError

    settings = _settings()
    _check_schema(settings)

    async def run() -> str:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            user = await container.run(service.set_verified, username=username, verified=not undo)
            await container.relay.drain()
            return user.username
        finally:
            await container.close()

    try:
        name = asyncio.run(run())
    except TuanError as exc:
        raise _fail(exc.message) from None
    console.print(f"{name} is {'no longer ' if undo else ''}verified")


@admin_app.command("approve-merchant")
def admin_approve_merchant(
    username: str,
    undo: Annotated[bool, typer.Option("--undo", help="Withdraw the approval")] = False,
) -> None:
    """Let USERNAME open shops without being real-name verified (only operators can)."""
    from tuan.catalog.service import set_merchant_approval
    from tuan.core.errors import TuanError

    settings = _settings()
    _check_schema(settings)

    async def run() -> str:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            return await container.run(set_merchant_approval, username=username, approved=not undo)
        finally:
            await container.close()

    try:
        name = asyncio.run(run())
    except TuanError as exc:
        raise _fail(exc.message) from None
    console.print(f"{name} {'may no longer' if undo else 'may now'} open shops")


@admin_app.command("create-user")
def admin_create_user(
    username: str,
    display_name: Annotated[str, typer.Option(help="Shown name; defaults to the username")] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
    verified: Annotated[bool, typer.Option(help="Create as real-name verified")] = False,
) -> None:
    """Create an account from the command line."""
    from tuan.accounts import service
    from tuan.core.errors import TuanError

    settings = _settings()
    _check_schema(settings)

    async def run() -> int:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            user = await service.register(
                container,
                container.passwords,
                username=username,
                display_name=display_name or username,
                password=password,
                verified=verified,
            )
            await container.relay.drain()
            return user.id
        finally:
            await container.close()

    try:
        user_id = asyncio.run(run())
    except TuanError as exc:
        raise _fail(exc.message) from None
    console.print(f"created user {username} (id {user_id})")


@admin_app.command("outbox")
def admin_outbox(
    retry: Annotated[int | None, typer.Option(help="Retry this failed or dead event now")] = None,
    discard: Annotated[
        int | None, typer.Option(help="Give up on this event for good (its handlers never run)")
    ] = None,
) -> None:
    """List durable events that failed or died; retry or discard one by its id."""
    from tuan.core import outbox_admin
    from tuan.core.db import create_database

    settings = _settings()
    _check_schema(settings)

    async def run() -> tuple[bool | None, outbox_admin.Backlog, list[outbox_admin.FailedEvent]]:
        db = create_database(settings.database_url)
        try:
            changed = None
            if retry is not None:
                changed = await outbox_admin.retry(db, retry)
            elif discard is not None:
                changed = await outbox_admin.discard(db, discard, datetime.now(UTC))
            return changed, await outbox_admin.backlog(db), await outbox_admin.failed_events(db)
        finally:
            await db.dispose()

    if retry is not None and discard is not None:
        raise _fail("give --retry or --discard, not both")
    changed, counts, failed = asyncio.run(run())
    if changed is False:
        raise _fail(f"no undelivered event with id {retry or discard}")
    if changed:
        console.print(f"event {retry or discard} {'will be retried now' if retry else 'discarded'}")
    console.print(
        f"{counts.waiting} events waiting, {counts.retrying} retrying, {counts.dead} dead"
    )
    for event in failed:  # one line each: readable in a terminal, greppable in a pipe
        state = (
            f"dead since {event.dead_at.isoformat(timespec='seconds')}"
            if event.dead_at
            else f"next attempt {event.next_attempt_at.isoformat(timespec='seconds')}"
            if event.next_attempt_at
            else "due now"
        )
        console.print(
            f"#{event.id} {event.topic}: {event.attempts} attempts, {state}: {event.last_error}",
            markup=False,
            highlight=False,
        )


@admin_app.command("prune")
def admin_prune(
    days: Annotated[
        int | None,
        typer.Option(min=0, help="Keep what was handled in the last DAYS days [default: 7]"),
    ] = None,
) -> None:
    """Delete events and jobs handled more than DAYS ago (the server does it once a day)."""
    from tuan.core.db import create_database
    from tuan.core.pruning import HANDLED_KEPT_FOR, Pruned, prune_handled

    settings = _settings()
    _check_schema(settings)
    before = datetime.now(UTC) - (HANDLED_KEPT_FOR if days is None else timedelta(days=days))

    async def run() -> Pruned:
        db = create_database(settings.database_url)
        try:
            return await prune_handled(db, before=before)
        finally:
            await db.dispose()

    pruned = asyncio.run(run())
    console.print(
        f"pruned what was handled before {before.isoformat(timespec='seconds')}: "
        f"{pruned.outbox} outbox events, {pruned.due_jobs} due jobs, "
        f"{pruned.processed_events} processed-event records"
    )


LegalRequest = Annotated[
    str, typer.Option("--request", help="The legal request's reference, for the audit log")
]
Operator = Annotated[
    str, typer.Option(help="Who is acting (the audit log's 'who'); defaults to $USER")
]


def _operator(name: str) -> str:
    import getpass

    return name or getpass.getuser()


@admin_app.command("export")
def admin_export(
    username: str,
    request: LegalRequest,
    out: Annotated[Path, typer.Option(help="Where to write the zip")] = Path("export.zip"),
    operator: Operator = "",
) -> None:
    """Write everything Tuan holds about USERNAME to a zip, for a legal request (audited)."""
    from tuan.core.errors import TuanError
    from tuan.rights.archive import ExportSetup
    from tuan.rights.operator import Request, export_for

    settings = _settings()
    _check_schema(settings)
    asked = Request(legal_request=request, operator=_operator(operator))

    async def run() -> str:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            setup = container.adapter(ExportSetup)
            with console.status(f"writing {username}'s archive…"):
                return await export_for(
                    container, container.db, setup, username=username, request=asked, out=out
                )
        finally:
            await container.close()

    try:
        digest = asyncio.run(run())
    except TuanError as exc:
        raise _fail(exc.message) from None
    console.print(f"wrote {out} (sha256 {digest}); audited under {request!r}")


@admin_app.command("erase")
def admin_erase(
    username: str,
    request: LegalRequest,
    operator: Operator = "",
    step_times: Annotated[
        Path | None,
        typer.Option(help="Also write each step's name and seconds here (JSON), to see the slow"),
    ] = None,
) -> None:
    """Erase USERNAME now, for a legal request (audited); safe to run again after a crash."""
    import time

    from rich.progress import Progress

    from tuan.core.errors import TuanError
    from tuan.core.pruning import prune_handled
    from tuan.rights.deletion import DeletionSetup
    from tuan.rights.operator import Request, erase_now

    settings = _settings()
    _check_schema(settings)
    asked = Request(legal_request=request, operator=_operator(operator))

    timed = [("started", time.monotonic())]  # (step, when it ended)

    async def run() -> int | None:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"erasing {username}", total=None)

                def step(done: int, total: int, name: str) -> None:
                    bar.update(task, completed=done, total=total, description=name)
                    timed.append((name, time.monotonic()))

                setup = container.adapter(DeletionSetup)
                erased = await erase_now(
                    container, container.db, setup, username=username, request=asked, progress=step
                )
            await prune_handled(container.db, before=container.clock.now())
            timed.append(("events: handled ones pruned", time.monotonic()))
            return erased
        finally:
            await container.close()

    try:
        deletion = asyncio.run(run())
    except TuanError as exc:
        raise _fail(_with_items(exc)) from None
    if step_times is not None:
        _write_step_times(step_times, timed)
    if deletion is None:
        console.print(f"{username} was erased already; nothing left to do")
    else:
        console.print(f"{username} is erased (deletion {deletion}); audited under {request!r}")


# --- notes: reports and moderation (issue 16). Operators are whoever runs `tuan admin`. --------


def _moderate(action: str, **arguments: object) -> None:
    """Run one of ``tuan.notes.moderation``'s operator actions in one transaction."""
    from tuan.core.errors import TuanError
    from tuan.notes import moderation

    settings = _settings()
    _check_schema(settings)

    async def run() -> None:
        from tuan.bootstrap import bootstrap

        container = bootstrap(settings)
        try:
            await container.run(getattr(moderation, action), **arguments)
            await container.relay.drain()
        finally:
            await container.close()

    try:
        asyncio.run(run())
    except TuanError as exc:
        raise _fail(exc.message) from None


@admin_app.command("note-reports")
def admin_note_reports(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many")] = 100,
) -> None:
    """List open reports of notes and comments, oldest first."""
    from tuan.core.db import create_database
    from tuan.notes.moderation import OpenReport, open_reports

    settings = _settings()
    _check_schema(settings)

    async def run() -> list[OpenReport]:
        db = create_database(settings.database_url)
        try:
            async with db.read_sessions() as session:
                return await open_reports(session, limit=limit)
        finally:
            await db.dispose()

    reports = asyncio.run(run())
    console.print(f"{len(reports)} open reports")
    for r in reports:  # one line each: readable in a terminal, greppable in a pipe
        target = f"note {r.note_id}" + (f" comment {r.comment_id}" if r.comment_id else "")
        said = " ".join(r.excerpt.split())[:60]
        console.print(
            f"#{r.id} {target} by user {r.reporter_id}: {r.reason!r} on {said!r}",
            markup=False,
            highlight=False,
        )


Reason = Annotated[str, typer.Option(help="Why, shown to its author (1 to 200 characters)")]


@admin_app.command("hide-note")
def admin_hide_note(note_id: int, reason: Reason) -> None:
    """Hide a note: only its author sees it, with the reason; its reports are resolved."""
    _moderate("hide_note", note_id=note_id, reason=reason)
    console.print(f"note {note_id} is hidden")


@admin_app.command("hide-comment")
def admin_hide_comment(comment_id: int, reason: Reason) -> None:
    """Hide a comment: only its author sees it, with the reason; its reports are resolved."""
    _moderate("hide_comment", comment_id=comment_id, reason=reason)
    console.print(f"comment {comment_id} is hidden")


@admin_app.command("dismiss-report")
def admin_dismiss_report(report_id: int) -> None:
    """Close a report without hiding anything."""
    _moderate("dismiss_report", report_id=report_id)
    console.print(f"report {report_id} dismissed")


def _write_step_times(path: Path, timed: list[tuple[str, float]]) -> None:
    """Each step's seconds (the first also holds the set-up: the deletion asked for, the audit)."""
    import itertools
    import json

    steps = [
        {"step": name if n else f"{name} (and the set-up)", "seconds": round(end - before, 4)}
        for n, ((_, before), (name, end)) in enumerate(itertools.pairwise(timed))
    ]
    path.write_text(json.dumps(steps, indent=1, ensure_ascii=False) + "\n")


def _with_items(exc: Exception) -> str:
    from tuan.core.errors import TuanError
    from tuan.web.i18n import render

    assert isinstance(exc, TuanError)
    items = exc.details.get("items") or []
    said = [render("en", item["key"], item["params"]) for item in items]
    return "\n".join([exc.message, *(f"  - {line}" for line in said)])


def main() -> None:
    _mount_domain_commands()
    app()
