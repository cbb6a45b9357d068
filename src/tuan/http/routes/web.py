"""The web app's pages and form posts (HTML, kept out of the OpenAPI schema).

Pages are thin: each checks who is looking and renders a template; the page's JavaScript reads
and writes through the JSON API with the session cookie and the page's CSRF token. The form posts
here are the ones that must work before there is a session (log in, sign up) or that set cookies
(log out, language).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts import service as accounts
from tuan.accounts.queries import avatar_url, user_by_username
from tuan.core.errors import NotFound, TuanError
from tuan.core.media import content_type_for
from tuan.core.money import CURRENCIES
from tuan.foryou.queries import for_you
from tuan.groupbuy import queries
from tuan.groupbuy.errors import TeamNotFound
from tuan.groups import queries as group_queries
from tuan.groups.errors import GroupNotFound, NotAllowedInGroup
from tuan.http.deps import client_address
from tuan.http.errors import STATUS_BY_KIND
from tuan.http.signing_in import after_sign_in
from tuan.http.throttle import signup_allowed
from tuan.notifications.queries import recent_notifications
from tuan.orders.errors import OrderNotFound
from tuan.orders.queries import SHOP_OWNER, order_for_party
from tuan.privacy.queries import purchases_seen_by
from tuan.shares.queries import seen_share_ids
from tuan.social.queries import has_blocked
from tuan.web.i18n import refusal_message, supported
from tuan.web.leaving import erasure_notice, leaving_section
from tuan.web.phrases import say_all
from tuan.web.security import (
    DEVICE_COOKIE,
    SESSION_COOKIE,
    device_tokens,
    safe_next,
    with_device_token,
)
from tuan.web.thumbs import thumbnail
from tuan.web.views import YEAR, Viewer, look, redirect, remember_locale, render

router = APIRouter(include_in_schema=False)

NOTIFICATIONS_SHOWN = 100
SHARE_CODE = re.compile(r"[A-Za-z0-9_\-]{8,32}")  # a team's share-link code


async def _form(request: Request) -> dict[str, Any]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _login_page(viewer: Viewer) -> Response:
    return redirect(viewer, f"/login?next={viewer.request.url.path}")


def _refused(viewer: Viewer) -> Response:
    return render(viewer, "error.html", status=403, message=viewer.t("err.CSRF_TOKEN_INVALID"))


def _problem(viewer: Viewer, exc: TuanError) -> str:
    return refusal_message(viewer.locale, exc)


def _form_refused(viewer: Viewer, template: str, exc: TuanError, **context: Any) -> Response:
    """The form again, with the refusal's status (and ``Retry-After`` when it says to wait)."""
    response = render(viewer, template, status=STATUS_BY_KIND[exc.kind], **context)
    if exc.retry_after:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _start_session(viewer: Viewer, issued: accounts.IssuedSession, locale: str | None) -> None:
    max_age = int((issued.expires_at - viewer.container.clock.now()).total_seconds())
    viewer.cookies.append((SESSION_COOKIE, issued.token, max_age))
    known = with_device_token(viewer.request.cookies.get(DEVICE_COOKIE), issued.device_token)
    viewer.cookies.append((DEVICE_COOKIE, known, YEAR))
    if locale:
        remember_locale(viewer, locale)


async def _log_in(viewer: Viewer, username: str, password: str) -> accounts.IssuedSession:
    request = viewer.request
    return await accounts.log_in(
        viewer.container,
        viewer.container.passwords,
        viewer.container.login_policy,
        username=username,
        password=password,
        address=client_address(request),
        device_tokens=device_tokens(request.cookies.get(DEVICE_COOKIE)),
        user_agent=request.headers.get("user-agent", ""),
    )


# --- arriving, logging in and out ----------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    viewer = await look(request)
    return redirect(viewer, "/chats" if viewer.user else "/login")


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    """The log-in form; ``deletion=requested&erase_after=…`` (where asking to delete the
    account leads, its session gone) adds when the account will be erased."""
    viewer = await look(request)
    if viewer.user:
        return redirect(viewer, safe_next(next))
    params = request.query_params
    erasure = None
    if params.get("deletion") == "requested":
        erasure = erasure_notice(viewer, params.get("erase_after"))
    return render(
        viewer, "login.html", next=safe_next(next), username="", error=None, erasure=erasure
    )


@router.post("/login")
async def login(request: Request) -> Response:
    viewer = await look(request)
    form = await _form(request)
    target = safe_next(form.get("next"))
    if not viewer.form_is_genuine(form):
        return _refused(viewer)
    username = form.get("username", "").strip()[:64]
    try:
        issued = await _log_in(viewer, username, form.get("password", "")[:1024])
        if await after_sign_in(viewer.container, issued):
            target = "/settings?deletion=cancelled"
    except TuanError as exc:
        return _form_refused(
            viewer,
            "login.html",
            exc,
            next=target,
            username=username,
            error=_problem(viewer, exc),
            erasure=None,
        )
    _start_session(viewer, issued, issued.user.locale)
    return redirect(viewer, target)


@router.get("/signup")
async def signup_page(request: Request) -> Response:
    viewer = await look(request)
    if viewer.user:
        return redirect(viewer, "/chats")
    return render(viewer, "signup.html", values={}, error=None, field=None)


@router.post("/signup")
async def signup(request: Request) -> Response:
    viewer = await look(request)
    form = await _form(request)
    if not viewer.form_is_genuine(form):
        return _refused(viewer)
    values = {k: form.get(k, "")[:200] for k in ("username", "display_name")}
    password = form.get("password", "")[:1024]
    container = viewer.container
    try:
        await signup_allowed(container, client_address(request))
        user = await accounts.register(
            container,
            container.passwords,
            username=values["username"],
            display_name=values["display_name"] or values["username"],
            password=password,
        )
        # The language they signed up in is the one they read: keep it on the account.
        await container.run(accounts.change_profile, user_id=user.id, locale=viewer.locale)
        issued = await _log_in(viewer, user.username, password)
    except TuanError as exc:
        return _form_refused(
            viewer, "signup.html", exc, values=values, error=_problem(viewer, exc), field=exc.field
        )
    _start_session(viewer, issued, viewer.locale)
    return redirect(viewer, "/chats")


@router.post("/logout")
async def logout(request: Request) -> Response:
    return await _log_out(request, everywhere=False)


@router.post("/logout-everywhere")
async def logout_everywhere(request: Request) -> Response:
    """End every session of the account (from the settings page), this browser's too."""
    return await _log_out(request, everywhere=True)


async def _log_out(request: Request, *, everywhere: bool) -> Response:
    viewer = await look(request)
    form = await _form(request)
    if viewer.user is None:
        return redirect(viewer, "/login")
    if not viewer.form_is_genuine(form):
        return _refused(viewer)
    assert viewer.token is not None
    if everywhere:
        await viewer.container.run(accounts.log_out_everywhere, user_id=viewer.user.id)
    else:
        await viewer.container.run(accounts.log_out, token=viewer.token)
    response = redirect(viewer, "/login")
    response.delete_cookie(SESSION_COOKIE)
    # What this device kept for reading offline (pages, chats, unsent messages) goes with the
    # session: a shared phone shows the next person nothing of the last (tuan.web.app_shell).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.post("/language")
async def choose_language(request: Request) -> Response:
    """Switch language: remembered in a cookie, and on the account when logged in."""
    viewer = await look(request)
    form = await _form(request)
    if not viewer.form_is_genuine(form):
        return _refused(viewer)
    locale = supported(form.get("locale"))
    if locale:
        remember_locale(viewer, locale)
        if viewer.user:
            await viewer.container.run(
                accounts.change_profile, user_id=viewer.user.id, locale=locale
            )
    return redirect(viewer, safe_next(form.get("next")))


# --- pages behind the log-in ---------------------------------------------------------------------


async def _page(request: Request, template: str, **context: Any) -> Response:
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    return render(viewer, template, **context)


@router.get("/chats")
async def chats_page(request: Request) -> Response:
    return await _page(request, "chats.html")


@router.get("/chats/{conversation_id:int}")
async def chat_page(request: Request, conversation_id: int) -> Response:
    return await _page(request, "chat.html", conversation_id=conversation_id)


@router.get("/friends")
async def friends_page(request: Request) -> Response:
    return await _page(request, "friends.html")


@router.get("/people/{username}")
async def person_page(request: Request, username: str) -> Response:
    """Someone's profile; ``group`` names the group the visitor came from (where they met)."""
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    async with viewer.container.db.read_sessions() as session:
        person = await user_by_username(session, username[:64])
        if person is not None and await has_blocked(session, person.id, viewer.user.id):
            person = None  # someone who blocked the visitor is nobody to them
    if person is None:
        return render(viewer, "error.html", status=404, message=viewer.t("people.not_found"))
    return render(
        viewer,
        "person.html",
        person=person,
        avatar=avatar_url(person.avatar_key),
        from_group=_positive(request.query_params.get("group")),
    )


@router.get("/groups/{group_id:int}/admin")
async def group_admin_page(request: Request, group_id: int) -> Response:
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    try:  # only the group's admins may see who wants in
        async with viewer.container.db.read_sessions() as session:
            requests = await group_queries.join_requests(session, group_id, viewer.user.id)
    except (GroupNotFound, NotAllowedInGroup):
        return render(viewer, "error.html", status=404, message=viewer.t("admin.not_admin"))
    return render(viewer, "group_admin.html", group_id=group_id, requests=requests)


@router.get("/invite/{code}")
async def invite_page(request: Request, code: str) -> Response:
    return await _page(request, "invite.html", code=code[:64])


@router.get("/notifications")
async def notifications_page(request: Request) -> Response:
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    async with viewer.container.db.read_sessions() as session:
        items = await recent_notifications(
            session, user_id=viewer.user.id, limit=NOTIFICATIONS_SHOWN
        )
    return render(viewer, "notifications.html", notifications=items)


@router.get("/settings")
async def settings_page(request: Request) -> Response:
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    params = request.query_params
    return render(
        viewer,
        "settings.html",
        password_saved=params.get("saved") == "password",
        password_error=None,
        **leaving_section(viewer, cancelled=params.get("deletion") == "cancelled"),
    )


@router.post("/settings/password")
async def change_password(request: Request) -> Response:
    """Change the password from the settings page; every other session ends."""
    viewer = await look(request)
    form = await _form(request)
    if viewer.user is None:
        return _login_page(viewer)
    if not viewer.form_is_genuine(form):
        return _refused(viewer)
    assert viewer.token is not None
    try:
        await accounts.change_password(
            viewer.container,
            viewer.container.passwords,
            viewer.container.login_policy,
            user=viewer.user,
            token=viewer.token,
            current_password=form.get("current_password", "")[:1024],
            new_password=form.get("new_password", "")[:1024],
            address=client_address(request),
        )
    except TuanError as exc:
        return _form_refused(
            viewer,
            "settings.html",
            exc,
            password_saved=False,
            password_error=_problem(viewer, exc),
            **leaving_section(viewer),
        )
    return redirect(viewer, "/settings?saved=password")


# --- shopping: thin pages over the commerce API ---------------------------------------------------


@router.get("/for-you")
async def for_you_page(request: Request) -> Response:
    """The viewer's "For you" feed, rendered on the server with its reasons in their language."""
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    async with viewer.container.db.read_sessions() as session:
        feed = await for_you(session, viewer.user.id, viewer.container.clock.now())
    items = [
        {
            "id": item.product.id,
            "name": item.product.name,
            "price": _money(item.product.price_from, item.product.currency),
            "explanation": say_all(viewer.locale, [r.phrase for r in item.reasons]),
        }
        for item in feed
    ]
    return render(viewer, "for_you.html", items=items)


_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥"}


def _money(amount: int, currency: str) -> str:
    """Minor units as the shop's currency writes them (¥68.00, JP¥500, SGD 12.50)."""
    digits = CURRENCIES.get(currency, 2)
    value = f"{amount / 10**digits:,.{digits}f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{value}" if symbol else f"{currency} {value}"


@router.get("/products")
async def products_page(request: Request, q: str = "") -> Response:
    return await _page(request, "products.html", q=q[:200])


@router.get("/products/{product_id:int}")
async def product_page(request: Request, product_id: int) -> Response:
    """A product; ``share`` says whose recommendation brought the visitor here, ``team`` and
    ``code`` which team purchase they were invited into.

    A link copied out of a chat the visitor is not in still shows the product, without the
    share: buying through it would be refused (ADR 0008), buying without it never is."""
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    params = request.query_params
    share_id = _positive(params.get("share"))
    if share_id is not None:
        async with viewer.container.db.read_sessions() as session:
            if not await seen_share_ids(session, {share_id}, viewer.user.id):
                share_id = None
    return render(
        viewer,
        "product.html",
        product_id=product_id,
        share_id=share_id,
        team_id=_positive(params.get("team")),
        team_code=(params.get("code") or "")[:32],
    )


@router.get("/teams/{team_id:int}")
async def team_page(request: Request, team_id: int) -> Response:
    """A team purchase's own page, the one its share link opens (``?code=`` for a private team).

    Only people who may see the team get it: a private team's members and holders of its code
    (anyone, for a public team). Everyone else, and a wrong code, gets the same "no such team"
    page: it does not say whether the team exists."""
    viewer = await look(request)
    if viewer.user is None:  # the code must survive the log-in, or the link leads nowhere
        return redirect(viewer, f"/login?next={quote(str(request.url.path) + _query(request))}")
    code = request.query_params.get("code") or None
    try:
        if code is not None and not SHARE_CODE.fullmatch(code):
            raise TeamNotFound()
        async with viewer.container.db.read_sessions() as session:
            team = await queries.team_page(session, team_id, team_viewer(session, viewer), code)
    except TeamNotFound as exc:
        return render(viewer, "error.html", status=404, message=_problem(viewer, exc))
    return render(viewer, "team.html", team_id=team.id, team_code=code or "")


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


def team_viewer(session: AsyncSession, viewer: Viewer) -> queries.TeamViewer:
    assert viewer.user is not None
    user_id, now = viewer.user.id, viewer.container.clock.now()
    return queries.TeamViewer(user_id, now, purchases_seen_by(session, user_id))


@router.get("/cart")
async def cart_page(request: Request) -> Response:
    return await _page(request, "cart.html")


@router.get("/orders")
async def orders_page(request: Request) -> Response:
    return await _page(request, "orders.html")


@router.get("/orders/{order_id:int}")
async def order_page(request: Request, order_id: int) -> Response:
    """An order, for its buyer or its shop: the way back leads to the viewer's own list of
    orders (the shop's, for the shop)."""
    viewer = await look(request)
    if viewer.user is None:
        return _login_page(viewer)
    back = ("/orders", viewer.t("orders.title"))
    if 0 < order_id < 2**63:
        try:
            async with viewer.container.db.read_sessions() as session:
                party = await order_for_party(session, order_id, viewer.user.id)
            if party.role == SHOP_OWNER:
                back = (f"/shops/{party.order.shop_id}/manage", viewer.t("order.back_to_shop"))
        except OrderNotFound:
            pass  # the page says so, from the API
    return render(viewer, "order.html", order_id=order_id, back=back)


@router.get("/shops")
async def shops_page(request: Request) -> Response:
    return await _page(request, "shops.html")


@router.get("/shops/{shop_id:int}/manage")
async def shop_manage_page(request: Request, shop_id: int) -> Response:
    return await _page(request, "shop.html", shop_id=shop_id)


def _positive(value: str | None) -> int | None:
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    return int(value) if 0 < int(value) < 2**63 else None


# --- images ---------------------------------------------------------------------------------------


@router.get("/thumbs/{width:int}/{key:path}")
async def thumb(request: Request, width: int, key: str) -> Response:
    """A stored image resized on the server to ``width`` pixels (160, 320, 640 or 1080)."""
    container = request.app.state.container
    found = await thumbnail(container.images, key, width)
    if found is None:
        raise NotFound("No such image or size.")
    variant, data = found
    return Response(
        data,
        media_type=content_type_for(variant),
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )
