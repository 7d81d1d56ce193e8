"""The client against a hostile server on loopback: trickled bytes, silence, Retry-After,
answers that do not add up, HTML, compression bombs, echoed keys. Real sockets throughout."""

from __future__ import annotations

import gzip
import threading
import zlib

import pytest
from hostile_server import Answer, Silent, Trickle, bulk_answer

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import TransientError

KEY = "trk_live_hostile_0123456789abcdef"
LIST = "+18005551000"


def messages(n: int) -> list[dict]:
    return [{"to": f"+1415555{i:04d}", "body": f"Hello {i}"} for i in range(n)]


def client(server, **kwargs) -> TracklyClient:
    kwargs.setdefault("max_attempts", 1)
    return TracklyClient(KEY, server.base_url, **kwargs)


def failure(c: TracklyClient, n: int = 3, **kwargs) -> TransientError:
    with pytest.raises(TransientError) as caught:
        c.send_bulk_encoded(LIST, [_text(m) for m in messages(n)], **kwargs)
    return caught.value


def _text(message: dict) -> str:
    return f'{{"to":"{message["to"]}","body":"{message["body"]}"}}'


def in_thread(fn):
    """Run fn() in a thread; returns (thread, box) where box gets the result or exception."""
    box: dict = {}

    def run():
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def wait_for_requests(server, n: int) -> None:
    event = threading.Event()
    while len(server.requests) < n:
        event.wait(0.01)


# -- §2: every wait bounded -------------------------------------------------------------


def test_a_server_trickling_one_byte_every_2_s_is_cut_at_the_deadline(hostile):
    hostile.behaviour = Trickle(every_s=0.3)  # each byte restarts httpx's read timeout
    with client(hostile, deadline=1.0, timeout=5.0) as c:
        error = failure(c)
    assert error.code == "deadline"
    assert error.outcome_unknown  # the request had arrived: its messages may be queued
    assert "took too long" in error.explanation
    assert len(hostile.requests) == 1


def test_abort_ends_a_request_the_server_never_answers(hostile):
    hostile.behaviour = Silent()
    abort = threading.Event()
    with client(hostile, timeout=60.0) as c:
        thread, box = in_thread(lambda: c.send_bulk_encoded(LIST, ['{"to":"+1","body":"x"}'],
                                                            abort=abort))  # fmt: skip
        wait_for_requests(hostile, 1)
        abort.set()
        thread.join(timeout=30)
    error = box["error"]
    assert isinstance(error, TransientError) and error.code == "cancelled"
    assert error.outcome_unknown


def test_abort_before_the_request_is_written_means_nothing_was_sent(hostile):
    abort = threading.Event()
    abort.set()
    with client(hostile) as c:
        error = failure(c, abort=abort)
    assert error.code == "cancelled" and not error.outcome_unknown
    assert hostile.requests == []


def test_retry_after_is_capped_at_60_s(hostile):
    hostile.behaviour = Answer.json({"code": "busy"}, status=503, **{"Retry-After": "120"})
    waits: list[float] = []
    with client(hostile, max_attempts=2, sleep=waits.append) as c:
        error = failure(c)
    assert waits == [60.0]
    assert error.code == "busy" and not error.outcome_unknown


def test_pause_ends_a_retry_after_wait(hostile):
    hostile.behaviour = Answer.json({"code": "busy"}, status=503, **{"Retry-After": "120"})
    interrupt = threading.Event()
    with client(hostile, max_attempts=3) as c:
        thread, box = in_thread(
            lambda: c.send_bulk_encoded(LIST, ['{"to":"+1","body":"x"}'], interrupt=interrupt)
        )
        wait_for_requests(hostile, 1)
        interrupt.set()
        thread.join(timeout=30)
    error = box["error"]
    assert error.code == "cancelled" and not error.outcome_unknown  # a 503 queues nothing
    assert len(hostile.requests) == 1


# -- §3: odd answers are never counted as sent ---------------------------------------------


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ({"queued_count": 0, "error_count": 0, "errors": []}, "0 queued and 0 refused of 3"),
        ({"queued_count": 3, "error_count": 1, "errors": [{"index": 0}]}, "3 queued and 1"),
        ({"queued_count": 2, "error_count": 1, "errors": []}, "1 refused, 0 listed"),
        (
            {
                "queued_count": 1,
                "error_count": 2,
                "errors": [{"index": 1, "code": "invalid_phone"}, {"index": 1}],
            },
            "names no message, or one twice",
        ),
        ({"queued_count": 2, "error_count": 1, "errors": [{"index": 3}]}, "names no message"),
        ({"queued_count": 2, "error_count": 1, "errors": [{"index": True}]}, "names no message"),
        ({"queued_count": 2, "error_count": 1, "errors": ["odd"]}, "names no message"),
        ({"queued_count": -1, "error_count": 4, "errors": []}, "no queued_count"),
        ({"queued_count": 3.0, "error_count": 0, "errors": []}, "no queued_count"),
    ],
)
def test_an_answer_that_does_not_account_for_every_message_is_not_sure(hostile, answer, why):
    hostile.behaviour = Answer.json(answer)
    with client(hostile) as c:
        error = failure(c, 3)
    assert error.outcome_unknown
    assert error.code in ("unverifiable_answer", "malformed_response")
    assert why in error.server_text
    if error.code == "unverifiable_answer":
        assert error.explanation.startswith("Trackly answered in a way the app could not check")


def test_an_answer_that_adds_up_is_trusted(hostile):
    hostile.behaviour = Answer.json(
        {"queued_count": 2, "error_count": 1,
         "errors": [{"index": 2, "to": "+14155550002", "code": "invalid_phone", "error": "Bad"}]}
    )  # fmt: skip
    with client(hostile) as c:
        result = c.send_bulk_encoded(LIST, [_text(m) for m in messages(3)])
    assert (result.queued_count, result.error_count) == (2, 1)
    assert [(e.index, e.code) for e in result.errors] == [(2, "invalid_phone")]


def test_a_gzip_bomb_answer_is_not_unpacked(hostile):
    # 256 MB of zeros in about 250 KB; the client stops unpacking at 2 MB.
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    bomb = b"".join(packer.compress(block) for _ in range(256)) + packer.flush()
    assert len(bomb) < 300_000
    hostile.behaviour = Answer(200, bomb, {"Content-Encoding": "gzip",
                                           "Content-Type": "application/json"})  # fmt: skip
    with client(hostile) as c:
        error = failure(c)
    assert error.code == "answer_too_large" and error.outcome_unknown


def test_a_small_gzip_answer_is_read(hostile):
    body = gzip.compress(b'{"queued_count": 3, "error_count": 0, "errors": []}')
    hostile.behaviour = Answer(200, body, {"Content-Encoding": "gzip"})
    with client(hostile) as c:
        assert c.send_bulk_encoded(LIST, [_text(m) for m in messages(3)]).queued_count == 3


def test_an_answer_in_an_encoding_not_offered_is_unreadable(hostile):
    hostile.behaviour = Answer(200, b"\x00\x01garbage", {"Content-Encoding": "br"})
    with client(hostile) as c:
        error = failure(c)
    assert error.code == "malformed_response" and error.outcome_unknown


def test_an_html_page_is_reported_as_a_web_page(hostile):
    page = b"<!DOCTYPE html><html><body>Welcome to the hotel wifi</body></html>"
    hostile.behaviour = Answer(200, page, {"Content-Type": "text/html"})
    with client(hostile) as c:
        error = failure(c)
    assert error.code == "malformed_response"
    assert "a web page instead of Trackly's answer" in error.server_text
    hostile.behaviour = Answer(502, page, {"Content-Type": "text/html"})
    with client(hostile) as c:
        error = failure(c)
    assert error.status == 502 and error.server_text == "a web page instead of Trackly's answer"


# -- §5: the key never comes back out, server texts are bounded ---------------------------


def test_the_key_echoed_by_the_server_is_hidden_and_texts_are_bounded(hostile):
    hostile.behaviour = Answer.json(
        {"queued_count": 1, "error_count": 2, "errors": [
            {"index": 0, "to": "+14155550000", "code": "invalid_phone",
             "error": f"Key {KEY} may not send to this number"},
            {"index": 1, "to": KEY, "code": "x" * 5000, "error": "y" * 5000},
        ]}
    )  # fmt: skip
    with client(hostile) as c:
        result = c.send_bulk_encoded(LIST, [_text(m) for m in messages(3)])
    first, second = result.errors
    assert first.text == "Key [key hidden] may not send to this number"
    assert KEY not in (second.to or "") and second.code == "rejected"
    assert second.text == "y" * 300


def test_an_error_answer_echoing_the_key_is_hidden(hostile):
    hostile.behaviour = Answer.json({"code": "bad_request", "error": f"bad key {KEY}"}, 400)
    with client(hostile) as c, pytest.raises(Exception) as caught:
        c.send_bulk_encoded(LIST, ['{"to":"+1","body":"x"}'])
    assert KEY not in str(caught.value) and "[key hidden]" in caught.value.server_text


def test_an_honest_server_still_works(hostile):
    hostile.behaviour = bulk_answer
    with client(hostile) as c:
        assert c.send_bulk_encoded(LIST, [_text(m) for m in messages(5)]).queued_count == 5
