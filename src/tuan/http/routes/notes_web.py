"""The web app's notes pages (种草, issue 16): the composer, a note, the feeds, a person's notes
profile and collections. Shells like the rest of the web app (tuan.http.routes.web): each
checks who is looking and renders a template, and the page's JavaScript reads and writes through
the notes API. Kept apart from the other pages only for size.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tuan.accounts.queries import avatar_url, user_by_username
from tuan.core.media import MAX_PHOTOS
from tuan.http.routes.web import _login_page, _page, _positive, _problem
from tuan.notes import domain as note_rules
from tuan.notes import queries as note_queries
from tuan.notes.errors import NoteNotFound
from tuan.social.queries import has_blocked
from tuan.web.views import look, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/notes")
async def notes_page(request: Request) -> Response:
    """Where notes start: writing one, and the Following and Discover feeds."""
    params = request.query_params
    tab = "following" if params.get("tab") == "following" else "discover"
    q = (params.get("q") or "").strip()[:100]
    return await _page(request, "notes.html", deleted=params.get("deleted") == "1", tab=tab, q=q)


@router.get("/notes/mine")
async def my_notes_page(request: Request) -> Response:
    """Where the author's digest leads: their own notes, on their profile."""
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    return redirect(viewer, f"/people/{quote(viewer.user.username)}/notes")


@router.get("/people/{username}/notes")
async def notes_profile_page(request: Request, username: str) -> Response:
    """A person's notes, public collections and followers (signed out too: notes to everyone)."""
    viewer = await look(request)
    async with viewer.container.db.read_sessions() as session:
        person = await user_by_username(session, username[:64])
        if (
            person is not None
            and viewer.user is not None
            and await has_blocked(session, person.id, viewer.user.id)
        ):
            person = None  # someone who blocked the visitor is nobody to them
    if person is None:
        return render(viewer, "error.html", status=404, message=viewer.t("people.not_found"))
    return render(viewer, "notes_profile.html", person=person, avatar=avatar_url(person.avatar_key))


@router.get("/notes/new")
async def note_composer_page(request: Request) -> Response:
    """The composer; ``product`` is one to link already (the "write a note?" nudge after a
    delivery opens it so)."""
    return await _page(
        request,
        "note_new.html",
        product_id=_positive(request.query_params.get("product")),
        max_photos=MAX_PHOTOS,
        max_tags=note_rules.MAX_TAGS,
        max_products=note_rules.MAX_PRODUCTS,
    )


@router.get("/notes/collections")
async def my_collections_page(request: Request) -> Response:
    return await _page(request, "note_collections.html", collection_id=None)


@router.get("/notes/collections/{collection_id:int}")
async def collection_page(request: Request, collection_id: int) -> Response:
    """A collection: one's own, or anyone's public one (signed out too); the API says which."""
    viewer = await look(request)
    return render(viewer, "note_collections.html", collection_id=collection_id)


@router.get("/notes/{note_id:int}")
async def note_page(request: Request, note_id: int) -> Response:
    """A note, signed out too for a note to everyone; a note the reader may not see is the same
    "no such note" page as one that never was."""
    viewer = await look(request)
    reader = viewer.user.id if viewer.user else None
    try:
        if not 0 < note_id < 2**63:
            raise NoteNotFound()
        async with viewer.container.db.read_sessions() as session:
            await note_queries.seen_note(session, note_id, reader)
    except NoteNotFound as exc:
        return render(viewer, "error.html", status=404, message=_problem(viewer, exc))
    return render(viewer, "note.html", note_id=note_id)
