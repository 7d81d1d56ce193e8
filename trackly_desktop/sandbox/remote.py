"""Drive a sandbox over HTTP, and run one as a separate process (`trackly sandbox`).

`SandboxControl(base_url)` talks to the `/sandbox/...` control endpoints of any running
sandbox; `SandboxProcess` starts `trackly sandbox` in a child process (the send engine's
SIGKILL test and the benchmarks use it), waits for its "Base URL:" line, and stops it.

    with SandboxProcess(["--fail-rate", "0.1"]) as sandbox:
        client = TracklyClient(DEMO_API_KEY, sandbox.base_url)
        ...
        assert sandbox.control.ledger_stats("to,metadata.row")["repeated_count"] == 0
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

import httpx


class SandboxControl:
    """The control endpoints of a running sandbox (base URL ending in /api or not)."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        root = base_url.rstrip("/").removesuffix("/api")
        self._http = httpx.Client(base_url=f"{root}/sandbox", timeout=timeout, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SandboxControl:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        response.raise_for_status()
        return response.json()

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def ledger_count(self) -> int:
        return int(self.health()["ledger_count"])

    def ledger_entries(self, offset: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        return self._call("GET", "/ledger", params={"offset": offset, "limit": limit})["entries"]

    def ledger_stats(self, key: str = "to,body") -> dict[str, Any]:
        """{"count", "distinct", "repeated_count", "repeated"} over comma-separated fields."""
        return self._call("GET", "/ledger/stats", params={"key": key})

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "/faults")

    def set_faults(self, **values: Any) -> dict[str, Any]:
        """Change fault settings, e.g. set_faults(fail_rate=0.2, drop_after_next=1)."""
        return self._call("POST", "/faults", json=values)

    def reset(self) -> None:
        self._call("POST", "/reset")

    def add_opt_outs(self, numbers: Sequence[str]) -> None:
        self._call("POST", "/opt-outs", json={"add": list(numbers)})

    def add_voip_numbers(self, numbers: Sequence[str]) -> None:
        self._call("POST", "/voip", json={"add": list(numbers)})


class SandboxProcess:
    """`trackly sandbox` in a child process; `.base_url`, `.control`, `.stop()`, `.kill()`."""

    def __init__(self, extra_args: Sequence[str] = (), startup_timeout: float = 30.0) -> None:
        self._args = [sys.executable, "-m", "trackly_desktop.cli", "sandbox", *extra_args]
        self._startup_timeout = startup_timeout
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.control: SandboxControl | None = None

    def start(self) -> str:
        self.process = subprocess.Popen(
            self._args,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        found: list[str] = []

        def read_until_url() -> None:
            assert self.process is not None and self.process.stdout is not None
            for line in self.process.stdout:
                if line.startswith("Base URL: "):
                    found.append(line.split(": ", 1)[1].strip())
                    return

        # The read happens in a short-lived helper thread so a silent child cannot hang us.
        reader = threading.Thread(target=read_until_url, name="trackly-sandbox-reader")
        reader.start()
        reader.join(self._startup_timeout)
        if not found:
            self.kill()
            reader.join()
            raise RuntimeError("the sandbox process did not print its base URL")
        reader.join()
        self.base_url = found[0]
        self.control = SandboxControl(self.base_url)
        return self.base_url

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM and wait; returns the exit code."""
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL at once (no clean shutdown)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> SandboxProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
