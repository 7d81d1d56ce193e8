"""HTTP endpoints that drive and read a sandbox, e.g. one running in another process.

No API key needed (the sandbox only listens on loopback), never faulted:

- `GET  /sandbox/health`                      -> {"ok": true, "ledger_count": N}
- `GET  /sandbox/ledger?offset=0&limit=1000`  -> {"count": N, "entries": [...]}
- `GET  /sandbox/ledger/stats?key=to,metadata.row`
                                              -> {"count", "distinct", "repeated_count",
                                                  "repeated": [[key, n], ...first 100]}
- `GET  /sandbox/faults`, `POST /sandbox/faults` {field: value, ...} -> the fault settings
- `POST /sandbox/reset`                       -> empties ledger and duplicate memory
- `GET/POST /sandbox/opt-outs`, `GET/POST /sandbox/voip` {"add": [...], "remove": [...]}
                                              -> {"numbers": [...]}
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from trackly_desktop.sandbox.backend import Answer
from trackly_desktop.sandbox.served import ServedSandbox

MAX_LEDGER_PAGE = 100_000


def _bad(text: str, status: int = 400) -> Answer:
    return Answer(status, {"success": False, "code": "bad_control_request", "error": text})


def _json_body(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def _number_set(numbers: set[str], method: str, body: bytes) -> Answer:
    if method == "POST":
        data = _json_body(body)
        numbers.update(str(n) for n in data.get("add", []))
        numbers.difference_update(str(n) for n in data.get("remove", []))
    return Answer(200, {"numbers": sorted(numbers)})


def handle(sandbox: ServedSandbox, method: str, path: str, query: str, body: bytes) -> Answer:
    """Answer a /sandbox/... request (never raises: bad input gets a 400 answer)."""
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    try:
        return _route(sandbox, method, path, params, body)
    except (ValueError, TypeError) as exc:
        return _bad(str(exc))


def _route(
    sandbox: ServedSandbox, method: str, path: str, params: dict[str, str], body: bytes
) -> Answer:
    ledger = sandbox.ledger
    if path == "/sandbox/health":
        return Answer(200, {"ok": True, "ledger_count": len(ledger)})
    if path == "/sandbox/ledger" and method == "GET":
        offset = int(params.get("offset", 0))
        limit = min(int(params.get("limit", 1000)), MAX_LEDGER_PAGE)
        entries = [e.as_dict() for e in ledger.entries(offset, limit)]
        return Answer(200, {"count": len(ledger), "entries": entries})
    if path == "/sandbox/ledger/stats" and method == "GET":
        fields = tuple(params.get("key", "to,body").split(","))
        key = fields[0] if len(fields) == 1 else fields
        return Answer(200, ledger.stats(key))
    if path == "/sandbox/faults":
        if method == "POST":
            sandbox.faults.update(_json_body(body))
        return Answer(200, sandbox.faults.as_dict())
    if path == "/sandbox/reset" and method == "POST":
        sandbox.reset()
        return Answer(200, {"ok": True})
    if path == "/sandbox/opt-outs":
        return _number_set(sandbox.opted_out, method, body)
    if path == "/sandbox/voip":
        return _number_set(sandbox.voip_numbers, method, body)
    return _bad(f"no control endpoint {method} {path}", 404)
