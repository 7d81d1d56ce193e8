"""Faults the sandbox can inject, set at start or changed while it runs.

Rates are probabilities per API request (0.0 to 1.0) drawn from the server's seeded
random generator; the `*_next` counters make the next N requests fail in that way, which
is what most tests want (exact and repeatable). Control endpoints (`/sandbox/...`) are
never faulted.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

FAULT_STATUSES = (500, 502, 503)


@dataclass
class FaultConfig:
    """Mutable fault settings; change attributes (or call `update`) while the server runs.

    - latency_ms / latency_jitter_ms: added delay before every API answer.
    - fail_rate / fail_next: answer 500/502/503 without processing (nothing queued);
      `retry_after_s` adds a Retry-After header to those answers.
    - drop_before_rate / drop_before_next: read the request, then close the connection
      without processing it or answering.
    - drop_after_rate / drop_after_next: process the request (messages queued), then close
      the connection without answering: "queued, but the answer was lost".
    - slow_rate / slow_next + slow_seconds: process, then wait `slow_seconds` before
      answering (set it above the client's read timeout).
    - revoke_key_after: after this many API requests with one key, that key is revoked
      (answers 401 invalid_api_key until `reset`).
    """

    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    fail_rate: float = 0.0
    fail_next: int = 0
    retry_after_s: float | None = None
    drop_before_rate: float = 0.0
    drop_before_next: int = 0
    drop_after_rate: float = 0.0
    drop_after_next: int = 0
    slow_rate: float = 0.0
    slow_next: int = 0
    slow_seconds: float = 5.0
    revoke_key_after: int | None = None

    def update(self, values: dict[str, Any]) -> None:
        """Set several fields from a dict (the body of `POST /sandbox/faults`)."""
        known = {f.name: f for f in fields(self)}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown fault setting: {name}")
            if value is not None and not isinstance(value, (int, float)):
                raise ValueError(f"fault setting {name} must be a number")
            if name.endswith("_rate") and not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"fault setting {name} must be between 0 and 1")
        for name, value in values.items():
            new = value
            if new is None and name not in ("retry_after_s", "revoke_key_after"):
                new = 0
            if name.endswith("_next") or name == "revoke_key_after":
                new = None if new is None else int(new)
            setattr(self, name, new)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """What happens to one API request, decided when it arrives."""

    delay_s: float = 0.0
    fail_status: int | None = None
    drop_before: bool = False
    drop_after: bool = False
    slow: bool = False


NO_FAULT = FaultPlan()


class FaultDecider:
    """Draws a FaultPlan per request from a FaultConfig (thread-safe, seeded)."""

    def __init__(self, config: FaultConfig, seed: int | None) -> None:
        self.config = config
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def _take(self, name: str, rate: float) -> bool:
        pending = getattr(self.config, name)
        if pending > 0:
            setattr(self.config, name, pending - 1)
            return True
        return rate > 0.0 and self._rng.random() < rate

    def plan(self) -> FaultPlan:
        c = self.config
        if not (
            c.latency_ms or c.latency_jitter_ms or c.fail_rate or c.fail_next
            or c.drop_before_rate or c.drop_before_next or c.drop_after_rate
            or c.drop_after_next or c.slow_rate or c.slow_next
        ):  # fmt: skip
            return NO_FAULT
        with self._lock:
            delay = c.latency_ms / 1000.0
            if c.latency_jitter_ms:
                delay += self._rng.uniform(0.0, c.latency_jitter_ms / 1000.0)
            if self._take("drop_before_next", c.drop_before_rate):
                return FaultPlan(delay, drop_before=True)
            if self._take("fail_next", c.fail_rate):
                return FaultPlan(delay, fail_status=self._rng.choice(FAULT_STATUSES))
            if self._take("drop_after_next", c.drop_after_rate):
                return FaultPlan(delay, drop_after=True)
            if self._take("slow_next", c.slow_rate):
                return FaultPlan(delay, slow=True)
            return FaultPlan(delay)
