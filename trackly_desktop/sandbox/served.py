"""What the HTTP layer needs of a running sandbox: a protocol, so the request handler and
the control routes depend on this surface, not on the server that owns them."""

from __future__ import annotations

from typing import Protocol

from trackly_desktop.sandbox.backend import Answer
from trackly_desktop.sandbox.faults import FaultConfig, FaultDecider, FaultPlan
from trackly_desktop.sandbox.ledger import Ledger

# Answer a request with no answer at all: close the connection (a server that died mid-way).
DROP = object()


class ServedSandbox(Protocol):
    faults: FaultConfig
    decider: FaultDecider

    @property
    def ledger(self) -> Ledger: ...

    @property
    def opted_out(self) -> set[str]: ...

    @property
    def voip_numbers(self) -> set[str]: ...

    def reset(self) -> None: ...

    def answer_api(
        self, plan: FaultPlan, path: str, api_key: str | None, body: bytes
    ) -> Answer | object: ...
