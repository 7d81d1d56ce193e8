"""What a passing `--smoke-test` report says, for the installed .deb and Windows apps alike."""

from __future__ import annotations

# Written by hand: every check the smoke test must report, in its order.
SMOKE_CHECKS = (
    "window",
    "qt plugins",
    "sorting",
    "spreadsheets",
    "phone numbers",
    "time zones",
    "keyring",
    "sandbox send",
    "sandbox ledger",
)


def assert_every_check_passed(report: str) -> None:
    """Each check has an "ok" line and the report ends by counting them all."""
    lines = report.splitlines()
    for check in SMOKE_CHECKS:
        assert any(line.startswith(f"ok    {check}: ") for line in lines), report
    assert lines[-1] == f"smoke test passed: {len(SMOKE_CHECKS)} checks"
