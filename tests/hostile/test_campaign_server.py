"""A campaign is recorded only once its key and server address were accepted, and it
remembers that address: a resume goes back to it and says so (issue 11, §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trackly_desktop import cli
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.server import SandboxServer


@pytest.fixture
def server():
    with SandboxServer(seed=13) as srv:
        yield srv


def contacts(path: Path, rows: int) -> Path:
    path.write_text("Phone,First name\n" + "".join(
        f"+1415555{r:04d},C{r}\n" for r in range(rows)))  # fmt: skip
    return path


def send(source: Path, base_url: str) -> list[str]:
    return ["send", str(source), "--list-number", DEMO_LIST_NUMBER, "--template",
            "Hi {{First name}}!", "--base-url", base_url, "--quiet", "--yes"]  # fmt: skip


def test_a_refused_key_or_a_wrong_address_records_no_campaign(tmp_path, server, monkeypatch,
                                                               capsys):  # fmt: skip
    monkeypatch.setenv("TRACKLY_API_KEY", "trk_not_a_real_key_000000")
    source = contacts(tmp_path / "c.csv", 20)
    assert cli.main(send(source, server.base_url)) == 2
    assert "did not accept the API key" in capsys.readouterr().err
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    assert cli.main(send(source, server.base_url.replace("/api", "/nowhere"))) == 2
    assert "did not answer like the Trackly API" in capsys.readouterr().err
    assert cli.main(send(source, "http://127.0.0.1:9/api")) == 2  # nothing listens there
    assert "could not be reached at http://127.0.0.1:9/api" in capsys.readouterr().err
    with Journal() as journal:
        assert journal.campaigns() == []  # nothing for the window to offer to resume


def test_a_resume_goes_back_to_the_address_the_campaign_was_sent_to(
    tmp_path, server, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = contacts(tmp_path / "c.csv", 2500)
    server.faults.revoke_key_after = 2  # the send stops after two batches (key revoked)
    assert cli.main(send(source, server.base_url)) == 2
    capsys.readouterr()
    assert len(server.ledger) == 1000
    server.faults.revoke_key_after = None
    server.backend.revoked.clear()  # the key is valid again
    # No --base-url: the default is the real service; the campaign went to the sandbox.
    assert cli.main(["send", "--resume", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"Resuming on {server.base_url}, where campaign 1 was sent." in out
    assert len(server.ledger) == 2500
