"""Where a push may be posted: an endpoint's host must resolve only to public addresses.

Browsers hand the server a URL; without this check, a subscription could make the server post
into its own network (request forgery). The host is resolved with ``getaddrinfo`` in the event
loop's thread pool (never blocking the loop) when a device subscribes, and again at every send by
:class:`CheckedResolver`, the resolver the sending connection uses: it connects only to the
addresses it checked, so a name that changes its answer between the check and the connection
(DNS rebinding) gains nothing.
"""

from __future__ import annotations

import asyncio
import socket

from aiohttp.abc import AbstractResolver, ResolveResult

from tuan.push.domain import Target, address_allowed, check_endpoint
from tuan.push.errors import PushEndpointRefused

RESOLVE_TIMEOUT_SECONDS = 5.0


async def checked_addresses(
    host: str, port: int, *, allow_loopback: bool, family: int = socket.AF_UNSPEC
) -> list[tuple[int, str]]:
    """``(family, address)`` of ``host``; refused if it does not resolve, or if any address it
    resolves to is not allowed (a name with one private answer among public ones is refused)."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
            infos = await loop.getaddrinfo(
                host, port, family=family, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
    except (OSError, TimeoutError):
        raise PushEndpointRefused(field="endpoint") from None
    found = [(int(info[0]), str(info[4][0])) for info in infos]
    if not found or not all(address_allowed(a, allow_loopback=allow_loopback) for _, a in found):
        raise PushEndpointRefused(field="endpoint")
    return found


async def check_endpoint_reachable(endpoint: str, *, allow_loopback: bool) -> Target:
    """The endpoint's form and every address its host resolves to, checked."""
    target = check_endpoint(endpoint, allow_loopback=allow_loopback)
    await checked_addresses(target.host, target.port, allow_loopback=allow_loopback)
    return target


class CheckedResolver(AbstractResolver):
    """aiohttp's resolver for push requests: only checked addresses are connected to."""

    def __init__(self, *, allow_loopback: bool) -> None:
        self._allow_loopback = allow_loopback

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await checked_addresses(
            host, port, allow_loopback=self._allow_loopback, family=family
        )
        return [
            ResolveResult(hostname=host, host=address, port=port, family=fam, proto=0, flags=0)
            for fam, address in found
        ]

    async def close(self) -> None:
        return None
