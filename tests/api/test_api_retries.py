"""The client's retries against each fault the sandbox injects, and "outcome unknown".

Retries wait through a recorder (no real sleeping); the ledger proves what was queued.
"""

from __future__ import annotations

import random
import socket
import threading
import time

import pytest

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import AuthError, RequestRejected, TransientError
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER

LIST = DEMO_LIST_NUMBER


def batch(n: int, start: int = 0, text: str = "Spring sale") -> list[dict]:
    return [
        {"to": f"+1415600{i:04d}", "body": f"{text} #{i}", "metadata": {"row": i}}
        for i in range(start, start + n)
    ]


def fast_client(sandbox, sleeps, **kwargs) -> TracklyClient:
    kwargs.setdefault("backoff_base", 0.001)
    kwargs.setdefault("timeout", 10.0)
    return TracklyClient(DEMO_API_KEY, sandbox.base_url, sleep=sleeps, **kwargs)


def test_5xx_answers_are_retried_and_nothing_goes_twice(sandbox, sleeps):
    sandbox.faults.fail_next = 2
    with fast_client(sandbox, sleeps) as client:
        result = client.send_bulk(LIST, batch(100))
    assert result.queued_count == 100
    assert len(sleeps.waits) == 2
    assert len(sandbox.ledger) == 100 and not sandbox.ledger.repeated(("to", "metadata.row"))


def test_5xx_until_attempts_run_out_says_not_accepted(sandbox, sleeps):
    sandbox.faults.fail_next = 10
    with (
        fast_client(sandbox, sleeps, max_attempts=3) as client,
        pytest.raises(TransientError) as caught,
    ):
        client.send_bulk(LIST, batch(10))
    error = caught.value
    assert error.status in (500, 502, 503) and error.outcome_unknown is False
    assert "did not accept the messages" in str(error)
    assert len(sleeps.waits) == 2 and len(sandbox.ledger) == 0


def test_backoff_follows_the_providers_formula_and_cap(sandbox, sleeps):
    sandbox.faults.fail_next = 4
    with fast_client(sandbox, sleeps, backoff_base=1.0, rng=random.Random(3)) as client:
        client.send_bulk(LIST, batch(1))
    assert [int(w) for w in sleeps.waits] == [1, 2, 4, 8]  # 2**attempt + uniform(0, 1)
    assert len({round(w % 1, 6) for w in sleeps.waits}) == 4  # jittered
    sleeps.waits.clear()
    sandbox.faults.fail_next = 4
    with fast_client(sandbox, sleeps, backoff_base=1.0, backoff_cap=3.0) as client:
        client.send_bulk(LIST, batch(1, start=1))
    assert sleeps.waits[2:] == [3.0, 3.0]


def test_retry_after_is_honoured(sandbox, sleeps):
    sandbox.faults.fail_next = 2
    sandbox.faults.retry_after_s = 7
    with fast_client(sandbox, sleeps) as client:
        client.send_bulk(LIST, batch(5))
    assert sleeps.waits == [7.0, 7.0]


def test_connection_refused_is_certainly_not_received_and_retried(sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        TracklyClient(
            DEMO_API_KEY, f"http://127.0.0.1:{port}/api", sleep=sleeps, max_attempts=3
        ) as client,
        pytest.raises(TransientError) as caught,
    ):
        client.send_bulk(LIST, batch(3), retry_unknown=False)
    assert caught.value.outcome_unknown is False
    assert caught.value.code == "connection_failed"
    assert "nothing was sent" in str(caught.value)
    assert len(sleeps.waits) == 2


def test_dropped_before_processing_is_outcome_unknown(sandbox, sleeps):
    sandbox.faults.drop_before_next = 1
    with fast_client(sandbox, sleeps) as client:
        with pytest.raises(TransientError) as caught:
            client.send_bulk(LIST, batch(10))
        assert caught.value.outcome_unknown is True
        assert "may or may not" in str(caught.value)
        assert sleeps.waits == [] and len(sandbox.ledger) == 0
        # The engine resends only with the duplicate check on: then it is safe.
        sandbox.faults.drop_before_next = 1
        result = client.send_bulk(LIST, batch(10), retry_unknown=True)
    assert result.queued_count == 10 and len(sleeps.waits) == 1
    assert len(sandbox.ledger) == 10


def test_answer_lost_after_queueing_never_sends_twice(sandbox, sleeps):
    sandbox.faults.drop_after_next = 1
    messages = batch(50)
    with fast_client(sandbox, sleeps) as client:
        with pytest.raises(TransientError) as caught:
            client.send_bulk(LIST, messages)
        assert caught.value.outcome_unknown is True
        assert len(sandbox.ledger) == 50  # queued, but the client could not know
        # A resend with the duplicate check on is answered "already sent" for every one.
        sandbox.faults.drop_after_next = 1
        result = client.send_bulk(LIST, batch(50, start=50), retry_unknown=True)
        again = client.send_bulk(LIST, messages, retry_unknown=True)
    assert result.queued_count == 0 and {e.code for e in result.errors} == {"duplicate_message"}
    assert again.queued_count == 0 and all(e.already_sent for e in again.errors)
    assert len(sandbox.ledger) == 100
    assert not sandbox.ledger.repeated(("to", "metadata.row"))


def test_single_send_raw_without_duplicate_check_is_never_resent(sandbox, sleeps):
    sandbox.faults.drop_after_next = 1
    with fast_client(sandbox, sleeps) as client:
        with pytest.raises(TransientError) as caught:
            client.send_raw(
                "+14155550100", LIST, "Code 1234", skip_duplicate_check=True, retry_unknown=True
            )
        assert caught.value.outcome_unknown is True and sleeps.waits == []
        # With the duplicate check on, the resend finds the lost one: "already sent".
        sandbox.faults.drop_after_next = 1
        with pytest.raises(RequestRejected) as resent:
            client.send("+14155550100", LIST, "Your order is ready", retry_unknown=True)
        assert resent.value.code == "duplicate_message"
    assert len(sandbox.ledger) == 2 and len(sleeps.waits) == 1


def test_answer_slower_than_read_timeout_is_outcome_unknown(sandbox, sleeps):
    sandbox.faults.slow_next = 1
    sandbox.faults.slow_seconds = 30.0
    with fast_client(sandbox, sleeps, timeout=0.3) as client:
        started = time.monotonic()
        with pytest.raises(TransientError) as caught:
            client.send_bulk(LIST, batch(20))
        assert time.monotonic() - started < 5.0
    assert caught.value.code == "timeout" and caught.value.outcome_unknown is True
    assert len(sandbox.ledger) == 20


def test_key_revoked_after_n_requests_stops_without_retry(sandbox, sleeps):
    sandbox.faults.revoke_key_after = 2
    with fast_client(sandbox, sleeps) as client:
        client.send_bulk(LIST, batch(5))
        client.send_bulk(LIST, batch(5, start=5))
        with pytest.raises(AuthError) as caught:
            client.send_bulk(LIST, batch(5, start=10))
        with pytest.raises(AuthError):
            client.verify_key()
    assert caught.value.code == "invalid_api_key" and sleeps.waits == []
    assert len(sandbox.ledger) == 10
    sandbox.reset()  # un-revokes
    sandbox.faults.revoke_key_after = None
    with fast_client(sandbox, sleeps) as client:
        client.verify_key()


def test_latency_is_added(sandbox, sleeps):
    sandbox.faults.latency_ms = 150
    with fast_client(sandbox, sleeps) as client:
        started = time.monotonic()
        client.send_bulk(LIST, batch(1))
        assert time.monotonic() - started >= 0.15


def test_random_faults_with_several_batches_in_flight(sandbox, sleeps):
    """Concurrent batches through one client under 5xx and lost connections: every row
    is queued exactly once (resends rely on the duplicate check, as the engine does)."""
    sandbox.faults.fail_rate = 0.2
    sandbox.faults.drop_before_rate = 0.1
    sandbox.faults.drop_after_rate = 0.1
    outcomes: list[int] = []
    errors: list[BaseException] = []
    with fast_client(sandbox, sleeps, max_in_flight=4, max_attempts=30) as client:

        def work(part: int) -> None:
            try:
                for chunk in range(5):
                    start = part * 1000 + chunk * 200
                    result = client.send_bulk(LIST, batch(200, start=start), retry_unknown=True)
                    outcomes.append(result.queued_count + result.error_count)
            except BaseException as exc:  # reported below, in the test's own thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(p,), name=f"sender-{p}") for p in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sum(outcomes) == 4000
    assert len(sandbox.ledger) == 4000
    assert sandbox.ledger.repeated(("to", "metadata.row")) == {}
    assert len(sleeps.waits) > 0  # faults did happen


def test_unknown_first_attempt_keeps_the_final_error_uncertain(sandbox, sleeps):
    """Answer lost (queued), then 5xx until the attempts run out: still "may be queued"."""
    sandbox.faults.drop_after_next = 1

    def then_fail(seconds: float) -> None:  # from the first retry on, answer 5xx
        sleeps(seconds)
        sandbox.faults.fail_next = 5

    with (
        fast_client(sandbox, then_fail, max_attempts=3) as client,
        pytest.raises(TransientError) as caught,
    ):
        client.send_bulk(LIST, batch(5), retry_unknown=True)
    assert caught.value.status in (500, 502, 503)
    assert caught.value.outcome_unknown is True and caught.value.after_unknown_attempt
    assert "may or may not have been queued" in str(caught.value)
    assert len(sandbox.ledger) == 5


def test_auth_error_after_an_unknown_attempt_says_so(sandbox, sleeps):
    sandbox.faults.drop_after_next = 1
    sandbox.faults.revoke_key_after = 1
    with fast_client(sandbox, sleeps) as client, pytest.raises(AuthError) as caught:
        client.send_bulk(LIST, batch(5), retry_unknown=True)
    assert caught.value.after_unknown_attempt is True
    assert len(sandbox.ledger) == 5
