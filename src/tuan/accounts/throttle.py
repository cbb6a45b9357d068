"""The login throttle: slow a password guesser down without locking the owner out.

After OWASP's "device cookies": a device that has logged in to an account keeps a signed token
(:func:`tuan.accounts.domain.new_device_token`). Logging in from such a *known device* is limited
only by that device's own failures, so a guesser elsewhere cannot lock the owner out; a known
device that keeps failing is treated as unknown. Logging in from an *unknown device* draws on the
account's allowance for unknown devices (``5/minute;20/hour;100/day`` by default: a back-off in
steps) and is refused while the address it comes from has failed too often.

Every unknown-device attempt is counted before the password is checked, so guesses sent in
parallel cannot slip past while argon2 runs; an address is charged only for its failures, so
people behind one address (a school, a carrier's NAT) are not refused for one another's typos.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from tuan.accounts import domain
from tuan.accounts.errors import TooManyAttempts
from tuan.core.ratelimit import RateLimits, Rule


@dataclass(frozen=True)
class LoginRules:
    account: Rule  # attempts on one account from devices it does not know
    device: Rule  # failed attempts from one known device
    address: Rule  # failed attempts from one address, from devices the account does not know


@dataclass(frozen=True)
class Attempt:
    account_key: str
    address: str
    device: str | None  # the known device's id, None for an unknown device


class LoginThrottle:
    def __init__(self, limits: RateLimits, rules: LoginRules, secret: str) -> None:
        self._limits = limits
        self._rules = rules
        self._secret = secret

    def attempt(self, account_key: str, address: str, device_tokens: Iterable[str]) -> Attempt:
        """The attempt, with the first of ``device_tokens`` that is a known device of the
        account."""
        for token in device_tokens:
            device = domain.device_of(self._secret, token, account_key)
            if device is not None:
                return Attempt(account_key, address, device)
        return Attempt(account_key, address, None)

    def new_device_token(self, account_key: str) -> str:
        return domain.new_device_token(self._secret, account_key)

    async def admit(self, attempt: Attempt) -> Attempt:
        """Let the attempt check its password, or raise :class:`TooManyAttempts`.

        Returns it as it is to be judged: a known device that failed too often becomes unknown.
        """
        rules, limits = self._rules, self._limits
        if attempt.device is not None:
            if await limits.check(rules.device, attempt.account_key, attempt.device) is None:
                return attempt
            attempt = replace(attempt, device=None)
        wait = await limits.check(rules.address, attempt.address)
        if wait is not None:
            raise TooManyAttempts.of("address", wait)
        wait = await limits.hit(rules.account, attempt.account_key)
        if wait is not None:
            raise TooManyAttempts.of("account", wait)
        return attempt

    async def failed(self, attempt: Attempt) -> None:
        """Charge a wrong password to the known device, or else to the address."""
        if attempt.device is not None:
            await self._limits.hit(self._rules.device, attempt.account_key, attempt.device)
        else:
            await self._limits.hit(self._rules.address, attempt.address)
