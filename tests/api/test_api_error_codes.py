"""Every documented error code (and the sandbox's extra ones) produced and asserted.

Request-level codes through the client (as the error kind it raises) and raw; per-message
codes in bulk answers at their index; the skip flags that bypass a check.
"""

from __future__ import annotations

import pytest

from trackly_desktop.api import errors
from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import AuthError, RequestRejected
from trackly_desktop.sandbox import demo_data as demo
from trackly_desktop.sandbox.message_checks import TEXTS, UNDOCUMENTED_CODE
from trackly_desktop.sandbox.server import SandboxServer

LIST = demo.DEMO_LIST_NUMBER
OK_TO = "+14155550100"


# -- authentication and account ----------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [
        ("", 401, "missing_api_key"),
        ("trk_never_issued", 401, "invalid_api_key"),
        (demo.REVOKED_API_KEY, 401, "invalid_api_key"),
        (demo.INACTIVE_API_KEY, 403, "account_inactive"),
    ],
)
def test_auth_failures_raise_auth_error_without_retrying(sandbox, sleeps, key, status, code):
    with TracklyClient(key, sandbox.base_url, sleep=sleeps) as client:
        for call in (
            lambda: client.send(OK_TO, LIST, "Hi"),
            lambda: client.send_raw(OK_TO, LIST, "Hi"),
            lambda: client.send_bulk(LIST, [{"to": OK_TO, "body": "Hi"}]),
            lambda: client.send_raw_bulk([{"to": OK_TO, "list_number": LIST, "body": "Hi"}]),
            lambda: client.send_v1_bulk(demo.DEMO_V1_PHONE_NUMBER_ID, [{"to_msisdn": OK_TO}]),
            client.verify_key,
        ):
            with pytest.raises(AuthError) as caught:
                call()
            assert (caught.value.status, caught.value.code) == (status, code)
            assert str(caught.value).startswith(f"{code}: ")
    assert sleeps.waits == []
    assert len(sandbox.ledger) == 0


def test_verify_key_accepts_active_accounts(sandbox):
    for key in (demo.DEMO_API_KEY, demo.SECOND_API_KEY):
        with TracklyClient(key, sandbox.base_url) as client:
            client.verify_key()  # raises on failure
    assert len(sandbox.ledger) == 0


# -- request-level rejections ------------------------------------------------------------


def test_missing_messages(client, raw):
    with pytest.raises(RequestRejected) as caught:
        client.send_bulk(LIST, [])
    assert (caught.value.status, caught.value.code) == (400, "missing_messages")
    response = raw.post("/v2/send-raw/bulk", json={})
    assert (response.status_code, response.json()["code"]) == (400, "missing_messages")


def test_too_many_messages_refused_locally_and_by_the_server(client, raw, sandbox):
    messages = [{"to": OK_TO, "body": "Hi"}] * 1001
    with pytest.raises(RequestRejected) as caught:
        client.send_bulk(LIST, messages)
    assert caught.value.code == "too_many_messages" and caught.value.status is None
    response = raw.post("/v2/send/bulk", json={"list_number": LIST, "messages": messages})
    assert response.status_code == 413
    assert response.json() == {
        "success": False,
        "code": "too_many_messages",
        "error": TEXTS["too_many_messages"],
    }
    assert len(sandbox.ledger) == 0


def test_request_over_5_mb_refused_by_the_server(raw, sandbox):
    # 1,000 records within the 4,000-byte limit stay under 5 MB, so the client's own
    # request-size guard is only a safety net; the server's 413 needs a raw request.
    messages = [{"to": OK_TO, "body": "x" * 3800, "metadata": {"row": i}} for i in range(1400)]
    response = raw.post("/v2/send/bulk", json={"list_number": LIST, "messages": messages})
    assert (response.status_code, response.json()["code"]) == (413, "request_too_large")
    # The connection stays usable: the body was read, not left in the socket.
    assert raw.post("/v2/send/bulk", json={"list_number": LIST, "messages": []}).status_code == 400
    assert len(sandbox.ledger) == 0


def test_single_record_over_4000_bytes(client, raw, sandbox):
    big = {"row": 1, "note": "y" * 4000}
    with pytest.raises(RequestRejected) as caught:
        client.send(OK_TO, LIST, "Hi", metadata=big)
    assert caught.value.code == "payload_too_large"
    response = raw.post(
        "/v2/send", json={"to": OK_TO, "list_number": LIST, "body": "Hi", "metadata": big}
    )
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")
    assert len(sandbox.ledger) == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"list_number": LIST, "body": "Hi"}, "missing_to"),
        ({"to": OK_TO, "body": "Hi"}, "missing_list_number"),
        ({"to": OK_TO, "list_number": LIST}, "missing_body"),
        ({"to": "4155550100", "list_number": LIST, "body": "Hi"}, "invalid_phone"),
        ({"to": "+04155550100", "list_number": LIST, "body": "Hi"}, "invalid_phone"),
        ({"to": "+1415555", "list_number": LIST, "body": "Hi"}, "invalid_phone"),
        ({"to": OK_TO, "list_number": "18005551000", "body": "Hi"}, "invalid_list_number"),
        ({"to": OK_TO, "list_number": "+18009990000", "body": "Hi"}, "list_not_found"),
        ({"to": OK_TO, "list_number": demo.SECOND_LIST_NUMBER, "body": "Hi"}, "list_not_found"),
        (
            {"to": OK_TO, "list_number": demo.BYOC_LIST_NUMBER, "body": "Hi"},
            "webhook_not_configured",
        ),
        ({"to": demo.DEMO_VOIP_NUMBERS[0], "list_number": LIST, "body": "Hi"}, "not_sendable"),
        ({"to": demo.DEMO_OPTED_OUT_NUMBERS[0], "list_number": LIST, "body": "Hi"}, "opted_out"),
        ({"to": OK_TO, "list_number": LIST, "body": "z" * 1601}, "body_too_long"),
    ],
)
def test_single_send_codes(raw, client, sandbox, fields, code):
    for path in ("/v2/send", "/v2/send-raw"):
        response = raw.post(path, json=fields)
        assert response.status_code == 400
        assert response.json() == {"success": False, "code": code, "error": TEXTS[code]}
    with pytest.raises(RequestRejected) as caught:
        client.send(fields.get("to", ""), fields.get("list_number", ""), fields.get("body", ""))
    assert (caught.value.status, caught.value.code) == (400, code)
    assert caught.value.server_text == TEXTS[code]
    assert str(caught.value) == f"{code}: {errors.explain(code)}"
    assert len(sandbox.ledger) == 0


def test_duplicate_single_send(client, sandbox):
    client.send(OK_TO, LIST, "Your order is ready")
    with pytest.raises(RequestRejected) as caught:
        client.send(OK_TO, LIST, "Your order is ready")
    assert caught.value.code == "duplicate_message"
    client.send_raw(OK_TO, LIST, "Your order is ready", skip_duplicate_check=True)
    client.send(OK_TO, LIST, "Your order is ready, Ann")  # another body is not a duplicate
    assert len(sandbox.ledger) == 3


# -- per-message codes in bulk answers ---------------------------------------------------


def test_every_per_message_code_at_its_index(client, sandbox):
    sandbox.backend.duplicate_window_s = 600.0
    client.send(OK_TO, LIST, "Already sent")
    messages = [
        {"to": "+14155550101", "body": "Good 1"},  # 0 queued
        {"body": "No number"},  # 1
        {"to": "+14155550102", "list_number": "", "body": "x"},  # 2 falls back to top list
        {"to": "+14155550103"},  # 3
        {"to": "+1invalid", "body": "x"},  # 4
        {"to": "+14155550104", "list_number": "8005551000", "body": "x"},  # 5
        {"to": "+14155550105", "list_number": demo.SECOND_LIST_NUMBER, "body": "x"},  # 6
        {"to": "+14155550106", "list_number": demo.BYOC_LIST_NUMBER, "body": "x"},  # 7
        {"to": demo.DEMO_VOIP_NUMBERS[1], "body": "x"},  # 8
        {"to": "+14155550107", "body": "x", "metadata": {"blob": "é" * 2000}},  # 9
        {"to": "+14155550108", "body": "x" * 1601},  # 10
        {"to": OK_TO, "body": "Already sent"},  # 11
        {"to": demo.DEMO_OPTED_OUT_NUMBERS[1], "body": "x"},  # 12
        {"to": "+14155550109", "body": "Good 2"},  # 13 queued
    ]
    result = client.send_bulk(LIST, messages)
    codes = {e.index: e.code for e in result.errors}
    assert codes == {
        1: "missing_to",
        3: "missing_body",
        4: "invalid_phone",
        5: "invalid_list_number",
        6: "list_not_found",
        7: "webhook_not_configured",
        8: "not_sendable",
        9: "payload_too_large",  # refused by the client before sending
        10: "body_too_long",
        11: "duplicate_message",
        12: "opted_out",
    }
    assert (result.queued_count, result.error_count) == (3, 11)
    assert [e.to for e in sandbox.ledger.entries()] == [
        OK_TO,
        "+14155550101",
        "+14155550102",
        "+14155550109",
    ]
    by_index = {e.index: e for e in result.errors}
    assert by_index[11].already_sent
    assert [i for i, e in by_index.items() if e.already_sent] == [11]


def test_missing_list_number_and_server_side_payload_check_in_raw_bulk(raw, sandbox):
    messages = [
        {"to": "+14155550101", "body": "x"},
        {"to": "+14155550102", "list_number": LIST, "body": "x", "metadata": {"b": "q" * 4000}},
        {"to": "+14155550103", "list_number": LIST, "body": "ok"},
    ]
    response = raw.post("/v2/send-raw/bulk", json={"messages": messages})
    assert response.status_code == 200
    assert response.json()["errors"] == [
        {"index": 0, "to": "+14155550101", "code": "missing_list_number",
         "error": TEXTS["missing_list_number"]},
        {"index": 1, "to": "+14155550102", "code": "payload_too_large",
         "error": TEXTS["payload_too_large"]},
    ]  # fmt: skip
    assert len(sandbox.ledger) == 1


def test_record_of_exactly_4000_bytes_is_accepted(client, sandbox):
    from trackly_desktop.api.client import record_size

    message = {"to": "+14155550101", "body": "x", "metadata": {"n": ""}}
    message["metadata"]["n"] = "n" * (4000 - record_size(message))
    assert record_size(message) == 4000
    assert client.send_bulk(LIST, [message]).queued_count == 1
    message["metadata"]["n"] += "n"
    assert client.send_bulk(LIST, [message]).errors[0].code == "payload_too_large"
    assert len(sandbox.ledger) == 1


def test_skip_flags_bypass_only_their_check(client, sandbox):
    opted = demo.DEMO_OPTED_OUT_NUMBERS[2]
    result = client.send_raw_bulk(
        [
            {"to": opted, "list_number": LIST, "body": "a"},
            {"to": opted, "list_number": LIST, "body": "b", "skip_contact_validation": True},
            {"to": OK_TO, "list_number": LIST, "body": "c"},
            {"to": OK_TO, "list_number": LIST, "body": "c"},
            {"to": OK_TO, "list_number": LIST, "body": "c", "skip_duplicate_check": True},
            # E.164, ownership and VOIP are enforced whatever the flags say.
            {"to": "+1invalid", "list_number": LIST, "body": "d", "skip_contact_validation": True},
            {
                "to": OK_TO,
                "list_number": demo.SECOND_LIST_NUMBER,
                "body": "e",
                "skip_duplicate_check": True,
                "skip_contact_validation": True,
            },
            {
                "to": demo.DEMO_VOIP_NUMBERS[2],
                "list_number": LIST,
                "body": "f",
                "skip_contact_validation": True,
            },
        ]
    )
    assert {e.index: e.code for e in result.errors} == {
        0: "opted_out",
        3: "duplicate_message",
        5: "invalid_phone",
        6: "list_not_found",
        7: "not_sendable",
    }
    assert result.queued_count == 3 and len(sandbox.ledger) == 3


def test_duplicate_window_expires():
    now = [1_000_000.0]
    with (
        SandboxServer(duplicate_window_s=600, clock=lambda: now[0]) as server,
        TracklyClient(demo.DEMO_API_KEY, server.base_url) as client,
    ):
        messages = [{"to": OK_TO, "body": "Sale!"}]
        assert client.send_bulk(LIST, messages).queued_count == 1
        now[0] += 599
        assert client.send_bulk(LIST, messages).errors[0].code == "duplicate_message"
        now[0] += 2  # 601 s after the first send
        assert client.send_bulk(LIST, messages).queued_count == 1
        assert [e.queued_at for e in server.ledger.entries()] == [1_000_000.0, 1_000_601.0]
        assert len(server.backend._recent) == 1  # the expired send was forgotten


def test_bad_json_and_unknown_paths(raw):
    response = raw.post("/v2/send", content=b"{not json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_json")
    response = raw.post("/v2/nothing-here", json={})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = raw.get("/v2/send")
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


def test_every_code_the_sandbox_uses_has_a_plain_explanation():
    for code in TEXTS.keys() - {UNDOCUMENTED_CODE}:
        assert code in errors.EXPLANATIONS, code
        assert errors.explain(code) != TEXTS[code]
    # The one outside the contract on purpose: the app does not know it, and shows the
    # server's own words (as for any code the provider never documented).
    assert UNDOCUMENTED_CODE not in errors.EXPLANATIONS
    assert errors.explain(UNDOCUMENTED_CODE, TEXTS[UNDOCUMENTED_CODE]) == TEXTS[UNDOCUMENTED_CODE]


def test_unknown_code_shows_the_servers_text():
    assert errors.explain("carrier_blocked", "Carrier rejected the content") == (
        "Carrier rejected the content"
    )
    assert "carrier_blocked" in errors.explain("carrier_blocked")
    error = RequestRejected("carrier_blocked", status=400, server_text="Carrier said no")
    assert str(error) == "carrier_blocked: Carrier said no"


@pytest.mark.parametrize(
    ("code", "as_it_is", "after_an_edit"),
    [
        ("invalid_phone", False, True),  # the row's own number: only once it is fixed
        ("body_too_long", False, True),
        ("not_sendable", False, True),  # another (mobile) number for the same person
        ("duplicate_message", False, False),  # already sent: again would be a second copy
        ("opted_out", False, False),  # the person said stop
        ("invalid_list_number", False, False),  # the campaign's sending number, not the row
        ("server_error", True, True),
        ("timeout", True, True),
        ("carrier_unavailable", True, True),  # a code the app does not know: worth a try
    ],
)
def test_which_failed_messages_can_be_sent_again(code, as_it_is, after_an_edit):
    """One rule, on the send side (the API client only explains codes)."""
    from trackly_desktop.core.journal.failure_codes import is_retryable

    assert (is_retryable(code, edited=False), is_retryable(code, edited=True)) == (
        as_it_is,
        after_an_edit,
    )
    assert errors.means_already_sent(code) == (code == "duplicate_message")


def test_records_json_cannot_carry_are_refused_locally_at_their_index(client, sandbox):
    result = client.send_bulk(
        LIST,
        [
            {"to": "+14155550101", "body": "ok 1", "metadata": {"row": 2}},
            {"to": "+14155550102", "body": "nan", "metadata": {"score": float("nan")}},
            {"to": "+14155550103", "body": "lone surrogate \ud800"},
            {"to": "+14155550104", "body": "big", "metadata": {"n": "é" * 1999}},
            {"to": "+14155550105", "body": "ok 2", "metadata": {"row": 6}},
        ],
    )
    assert [(e.index, e.code) for e in result.errors] == [
        (1, "unencodable_record"),
        (2, "unencodable_record"),
        (3, "payload_too_large"),
    ]
    assert (result.queued_count, result.error_count) == (2, 3)
    assert [e.metadata for e in sandbox.ledger.entries()] == [{"row": 2}, {"row": 6}]
    assert "cannot be sent" in result.errors[0].explanation
