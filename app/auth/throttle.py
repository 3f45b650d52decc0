"""Failed-login throttling per account and per client address, with exponential lockouts.

After ``failures`` failed logins with less than ``window`` seconds between them, the account (or address) is
locked for ``first_lock`` seconds, doubling with each further failure up to ``max_lock``. While locked, even the
right password is refused, so guessing costs the attacker time whichever way the guess would have gone. A
success clears the account's count, never the address's: one valid account must not buy an address more guesses.
Unknown logins count like known ones, so the throttle does not tell them apart either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.core.config import Settings
from app.core.counters import Counters


@dataclass(frozen=True)
class LoginPolicy:
    # No defaults here: they live in Settings (login_*), the one place an operator reads and sets them.
    account_failures: int
    address_failures: int
    window: float
    first_lock: float
    max_lock: float

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        return cls(account_failures=settings.login_account_failures,
                   address_failures=settings.login_address_failures, window=settings.login_window_seconds,
                   first_lock=settings.login_lock_first_seconds, max_lock=settings.login_lock_max_seconds)

    def lock_seconds(self, failures: int, threshold: int) -> float:
        if threshold <= 0 or failures < threshold:
            return 0.0
        return float(min(self.first_lock * 2 ** min(failures - threshold, 40), self.max_lock))


def _account(login: str) -> str:
    # Hashed: a login is user input of any length and alphabet, and need not sit in clear in Redis.
    return "login:a:" + hashlib.sha256(login.encode()).hexdigest()[:32]


def _address(address: str) -> str:
    return "login:ip:" + address[:64]


class LoginThrottle:
    def __init__(self, store: Counters, policy: LoginPolicy) -> None:
        self.store, self.policy = store, policy

    def locked_for(self, *, login: str, address: str) -> float:
        """Seconds until a login for this account from this address may be tried (0: now)."""
        keys = []
        if self.policy.account_failures > 0:
            keys.append(_account(login))
        if self.policy.address_failures > 0:
            keys.append(_address(address))
        return max((self.store.peek(k + ":lock").ttl for k in keys), default=0.0)

    def failed(self, *, login: str, address: str) -> float:
        """Count a failure; returns the seconds of the lock it started (0 when none)."""
        locked = 0.0
        for key, threshold in ((_account(login), self.policy.account_failures),
                               (_address(address), self.policy.address_failures)):
            if threshold <= 0:
                continue
            failures = self.store.hit(key + ":fails", self.policy.window, extend=True).value
            seconds = self.policy.lock_seconds(failures, threshold)
            if seconds:
                self.store.hit(key + ":lock", seconds, extend=True)
                locked = max(locked, seconds)
        return locked

    def succeeded(self, *, login: str) -> None:
        key = _account(login)
        self.store.clear(key + ":fails", key + ":lock")
