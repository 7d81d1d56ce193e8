"""A local Trackly server: the demo backend and the test double. No Qt.

- `server`: SandboxServer (start/stop in a background thread, ledger, faults).
- `demo_data`: the demo accounts, keys and numbers (import-light).
- `backend`, `message_checks`, `accounts`: the API's rules, without HTTP.
- `ledger`: every queued message, with counting helpers.
- `faults`: FaultConfig and how each request's faults are drawn.
- `control_routes`: /sandbox/... endpoints; `remote`: SandboxControl, SandboxProcess.
"""
