"""Answers and transport failures the sandbox cannot produce, through httpx.MockTransport.

This is the one place HTTP is mocked (elsewhere tests talk to the sandbox over loopback):
odd error shapes, garbage bodies, HTTP dates in Retry-After, and connect/read/write failures
that loopback cannot stage reliably.
"""

from __future__ import annotations

import email.utils
import json
import time

import httpx
import pytest

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import AuthError, RequestRejected, TransientError

KEY = "trk_mock_secret_1234567890"
LIST = "+18005551000"
ONE = [{"to": "+14155550100", "body": "Hi"}]


class Script:
    """Answers requests in order from a list of responses or exceptions."""

    def __init__(self, *steps: httpx.Response | Exception) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def make_client(script: Script, waits: list[float], **kwargs) -> TracklyClient:
    return TracklyClient(
        KEY,
        "https://trackly.test/api",
        transport=httpx.MockTransport(script),
        sleep=waits.append,
        backoff_base=0.001,
        **kwargs,
    )


def json_response(status: int, data: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(data).encode(), headers=headers)


def test_garbage_2xx_is_outcome_unknown_and_not_resent():
    waits: list[float] = []
    script = Script(httpx.Response(200, content=b"<html>oops</html>"))
    with make_client(script, waits) as client, pytest.raises(TransientError) as caught:
        client.send_bulk(LIST, ONE)
    assert caught.value.code == "malformed_response" and caught.value.outcome_unknown
    assert len(script.requests) == 1 and waits == []


def test_2xx_without_the_fields_is_malformed():
    waits: list[float] = []
    script = Script(json_response(200, {"ok": True}), json_response(200, {"success": True}))
    with make_client(script, waits) as client:
        with pytest.raises(TransientError):
            client.send_bulk(LIST, ONE)
        with pytest.raises(TransientError):
            client.send("+14155550100", LIST, "Hi")


def test_error_shapes_fall_back_to_readable_messages():
    waits: list[float] = []
    script = Script(
        json_response(400, {"error_code": "carrier_blocked", "message": "Carrier said no"}),
        json_response(400, {"error": "invalid_phone"}),
        httpx.Response(400, content=b"Bad thing happened"),
        json_response(422, {"detail": "Unprocessable"}),
        json_response(403, {"code": "account_inactive", "error": "Inactive"}),
    )
    with make_client(script, waits) as client:
        outcomes = []
        for _ in range(5):
            with pytest.raises((RequestRejected, AuthError)) as caught:
                client.send("+14155550100", LIST, "Hi")
            outcomes.append(caught.value)
    assert [(e.status, e.code) for e in outcomes] == [
        (400, "carrier_blocked"),
        (400, "invalid_phone"),
        (400, "http_400"),
        (422, "http_422"),
        (403, "account_inactive"),
    ]
    assert str(outcomes[0]) == "carrier_blocked: Carrier said no"
    assert outcomes[1].explanation.startswith("this isn't a complete phone number")
    assert str(outcomes[2]) == "http_400: Bad thing happened"
    assert str(outcomes[3]) == "http_422: Unprocessable"
    assert isinstance(outcomes[4], AuthError)


def test_bulk_errors_with_odd_entries_are_read_when_the_answer_adds_up():
    waits: list[float] = []
    body = {
        "queued_count": 0,
        "errors": [
            {"index": 0, "to": "+14155550100", "error_code": "carrier_blocked", "error": "No"},
            {"index": 1, "to": "+14155550101"},
        ],
    }
    script = Script(json_response(200, body))
    with make_client(script, waits) as client:
        result = client.send_bulk(LIST, ONE * 2)
    assert result.error_count == 2  # error_count missing: counted from the list
    assert [(e.index, e.code) for e in result.errors] == [(0, "carrier_blocked"), (1, "rejected")]
    assert result.errors[0].explanation == "No"
    assert result.errors[1].explanation == "Trackly refused this message"


def test_an_error_entry_naming_no_message_makes_the_answer_unverifiable():
    waits: list[float] = []
    body = {"queued_count": 1, "errors": ["something odd"]}
    script = Script(json_response(200, body))
    with make_client(script, waits) as client, pytest.raises(TransientError) as caught:
        client.send_bulk(LIST, ONE * 2)
    assert caught.value.code == "unverifiable_answer" and caught.value.outcome_unknown


def test_retry_after_as_http_date_and_429():
    waits: list[float] = []
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    script = Script(
        json_response(503, {"code": "maintenance"}, **{"Retry-After": when}),
        json_response(429, {"error": "slow down"}, **{"Retry-After": "2"}),
        httpx.Response(502, content=b"<html>Bad gateway</html>"),
        json_response(200, {"queued_count": 1, "error_count": 0, "errors": []}),
    )
    with make_client(script, waits) as client:
        assert client.send_bulk(LIST, ONE).queued_count == 1
    assert 15 < waits[0] <= 21 and waits[1] == 2.0 and waits[2] < 1
    assert len(script.requests) == 4


@pytest.mark.parametrize(
    ("failure", "unknown"),
    [
        (httpx.ConnectTimeout("connect timed out"), False),
        (httpx.ConnectError("refused"), False),
        (httpx.PoolTimeout("pool"), False),
        (httpx.WriteError("broken pipe"), False),
        (httpx.WriteTimeout("write timed out"), False),
        (httpx.ReadTimeout("read timed out"), True),
        (httpx.ReadError("reset"), True),
        (httpx.RemoteProtocolError("Server disconnected"), True),
    ],
)
def test_transport_failures_are_classified(failure, unknown):
    waits: list[float] = []
    script = Script(failure, json_response(200, {"queued_count": 1, "error_count": 0}))
    with make_client(script, waits) as client:
        if unknown:
            with pytest.raises(TransientError) as caught:
                client.send_bulk(LIST, ONE)
            assert caught.value.outcome_unknown is True and waits == []
        else:
            assert client.send_bulk(LIST, ONE).queued_count == 1
            assert len(waits) == 1


def test_unexpected_httpx_error_becomes_one_plain_sentence():
    waits: list[float] = []
    script = Script(httpx.UnsupportedProtocol("weird"))
    with make_client(script, waits) as client, pytest.raises(TransientError) as caught:
        client.send_bulk(LIST, ONE)
    assert caught.value.code == "connection_failed"
    assert "\n" not in str(caught.value)


def test_server_echoing_the_key_is_blanked():
    waits: list[float] = []
    script = Script(json_response(401, {"code": "invalid_api_key", "error": f"Bad key {KEY}"}))
    with make_client(script, waits) as client, pytest.raises(AuthError) as caught:
        client.send("+14155550100", LIST, "Hi")
    assert KEY not in str(caught.value) and KEY not in caught.value.server_text
    assert "[key hidden]" in caught.value.server_text


def test_request_carries_key_header_and_compact_json():
    waits: list[float] = []
    script = Script(json_response(200, {"queued_count": 1, "error_count": 0, "errors": []}))
    with make_client(script, waits) as client:
        client.send_bulk(LIST, [{"to": "+14155550100", "body": "Café"}])
    request = script.requests[0]
    assert request.headers["X-Api-Key"] == KEY
    assert request.url == "https://trackly.test/api/v2/send/bulk"
    assert (
        request.content
        == (
            '{"list_number":"+18005551000","messages":[{"to":"+14155550100","body":"Café"}]}'
        ).encode()
    )


def test_verify_key_reads_any_complaint_about_the_body_as_key_accepted():
    waits: list[float] = []
    script = Script(
        json_response(400, {"code": "missing_list_number"}),
        json_response(200, {"queued_count": 0, "error_count": 0, "errors": []}),
        json_response(404, {"error": "Not Found"}),
    )
    with make_client(script, waits) as client:
        client.verify_key()
        client.verify_key()
        with pytest.raises(RequestRejected) as caught:
            client.verify_key()
    assert caught.value.status == 404
