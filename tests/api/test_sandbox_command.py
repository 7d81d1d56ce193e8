"""`trackly sandbox` as a user (and the send engine's kill tests) runs it: a child process."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest

from trackly_desktop import cli
from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import TransientError
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.remote import SandboxProcess


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_prints_what_a_user_needs_serves_and_stops_on_a_signal(stop_signal):
    process = subprocess.Popen(
        [sys.executable, "-m", "trackly_desktop.cli", "sandbox", "--seed", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        facts = dict(line.strip().split(": ", 1) for line in lines if ": " in line)
        assert facts["Demo API key"] == DEMO_API_KEY
        assert facts["Demo sending number"] == DEMO_LIST_NUMBER
        with TracklyClient(DEMO_API_KEY, facts["Base URL"]) as client:
            result = client.send_bulk(DEMO_LIST_NUMBER, [{"to": "+14155550100", "body": "Hi"}])
        assert result.queued_count == 1
        process.send_signal(stop_signal)
        _out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Sandbox stopped after queueing 1 messages." in err
    assert "Traceback" not in err


def test_faults_from_the_command_line_and_control_over_http():
    with SandboxProcess(["--fail-rate", "1", "--seed", "1"]) as sandbox:
        assert sandbox.control is not None
        with TracklyClient(
            DEMO_API_KEY, sandbox.base_url, max_attempts=2, sleep=lambda s: None
        ) as client:
            with pytest.raises(TransientError) as caught:
                client.send_bulk(DEMO_LIST_NUMBER, [{"to": "+14155550100", "body": "Hi"}])
            assert caught.value.status in (500, 502, 503)
            sandbox.control.set_faults(fail_rate=0, drop_after_next=1)
            with pytest.raises(TransientError) as lost:
                client.send_bulk(DEMO_LIST_NUMBER, [{"to": "+14155550100", "body": "Hi"}])
            assert lost.value.outcome_unknown is True
        assert sandbox.control.ledger_count() == 1
        assert sandbox.control.ledger_stats("to")["repeated_count"] == 0
    assert sandbox.process is not None and sandbox.process.returncode == 0


def test_sigkill_leaves_no_server_behind():
    sandbox = SandboxProcess()
    base_url = sandbox.start()
    sandbox.kill()
    sandbox.stop()
    with (
        TracklyClient(DEMO_API_KEY, base_url, max_attempts=1) as client,
        pytest.raises(TransientError) as caught,
    ):
        client.verify_key()
    assert caught.value.outcome_unknown is False


def test_port_in_use_is_one_plain_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        code = cli.main(["sandbox", "--port", str(port)])
    assert code == 2 and time.monotonic() - started < 5
    err = capsys.readouterr().err.strip()
    assert err.startswith("trackly sandbox: The sandbox could not listen on 127.0.0.1:")
    assert "\n" not in err


def test_bad_rate_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["sandbox", "--fail-rate", "2"])
    assert caught.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_every_fault_flag_reaches_the_fault_settings():
    import argparse

    from trackly_desktop.commands import sandbox as command

    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    args = parser.parse_args(
        ["--latency-ms", "5", "--latency-jitter-ms", "6", "--fail-rate", "0.1",
         "--retry-after", "3", "--drop-before-rate", "0.2", "--drop-after-rate", "0.3",
         "--slow-rate", "0.4", "--slow-seconds", "9", "--revoke-key-after", "7"]
    )  # fmt: skip
    faults = command._faults(args)
    assert (faults.latency_ms, faults.latency_jitter_ms, faults.fail_rate) == (5, 6, 0.1)
    assert (faults.retry_after_s, faults.drop_before_rate, faults.drop_after_rate) == (3, 0.2, 0.3)
    assert (faults.slow_rate, faults.slow_seconds, faults.revoke_key_after) == (0.4, 9, 7)


def test_ipv6_loopback():
    from trackly_desktop.sandbox.server import SandboxServer

    try:
        server = SandboxServer("::1")
        base_url = server.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert base_url.startswith("http://[::1]:")
        with TracklyClient(DEMO_API_KEY, base_url) as client:
            client.verify_key()
    finally:
        server.stop()
