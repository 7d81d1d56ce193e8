"""Every request/response example of the provider's pages, replayed against the sandbox.

The request bodies are copied from /work/shared/trackly-api/*.txt as published; only the
placeholder key "trk_your_api_key_here" is replaced by the demo key. Message ids differ on
every send, so they are compared by shape (8 lowercase letters/digits).
"""

from __future__ import annotations

import re

import httpx

from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_V1_PHONE_NUMBER_ID

MESSAGE_ID = re.compile(r"[a-z0-9]{8}")


def test_v2_send_example(raw, sandbox):
    response = raw.post(
        "/v2/send",
        json={
            "to": "+14155551234",
            "list_number": "+18005551000",
            "body": "Hello! Your order is confirmed. Ref: {{messageId}}",
            "wrap_links": True,
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data.keys() == {"success", "message_id", "status"}
    assert data["success"] is True and data["status"] == "queued"
    assert MESSAGE_ID.fullmatch(data["message_id"])
    (entry,) = sandbox.ledger.entries()
    assert entry.body == f"Hello! Your order is confirmed. Ref: {data['message_id']}"


def test_v2_send_raw_example(raw, sandbox):
    response = raw.post(
        "/v2/send-raw",
        json={
            "to": "+14155551234",
            "list_number": "+18005551000",
            "body": "URGENT: Your verification code is 482901. Ref: {{messageId}}",
            "skip_duplicate_check": True,
            "skip_rate_limit": True,
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["success"] is True and data["status"] == "queued"
    assert MESSAGE_ID.fullmatch(data["message_id"])
    assert sandbox.ledger.entries()[0].endpoint == "/api/v2/send-raw"


def test_v2_send_raw_bulk_example(raw, sandbox):
    response = raw.post(
        "/v2/send-raw/bulk",
        json={
            "messages": [
                {
                    "to": "+14155551234",
                    "list_number": "+18005551000",
                    "body": "Verification code: 482901. Ref: {{messageId}}",
                    "skip_duplicate_check": True,
                    "skip_rate_limit": True,
                },
                {
                    "to": "+14155559876",
                    "list_number": "+18005551000",
                    "body": "Verification code: 739204. Ref: {{messageId}}",
                    "skip_duplicate_check": True,
                    "skip_rate_limit": True,
                    "skip_contact_validation": True,
                },
            ]
        },
    )
    assert response.status_code == 200
    assert response.json() == {"queued_count": 2, "error_count": 0, "errors": []}
    assert [e.to for e in sandbox.ledger.entries()] == ["+14155551234", "+14155559876"]


def test_limits_page_bulk_example(raw, sandbox):
    messages = [
        {"to": f"+1415555{i:04d}", "body": "Flash sale! 50% off today."} for i in range(1000)
    ]
    response = raw.post("/v2/send/bulk", json={"list_number": "+18005551234", "messages": messages})
    data = response.json()
    assert response.status_code == 200
    assert (data["queued_count"], data["error_count"]) == (1000, 0)
    assert len(sandbox.ledger) == 1000


def test_limits_page_partial_failure_example(raw):
    messages = [
        {"to": f"+1415555{i:04d}", "body": "Flash sale! 50% off today."} for i in range(1000)
    ]
    messages[42]["to"] = "+1invalid"
    messages[501]["to"] = "+10000000000"
    response = raw.post("/v2/send/bulk", json={"list_number": "+18005551234", "messages": messages})
    assert response.status_code == 200
    assert response.json() == {
        "queued_count": 998,
        "error_count": 2,
        "errors": [
            {
                "index": 42,
                "to": "+1invalid",
                "code": "invalid_phone",
                "error": "Invalid recipient phone number format",
            },
            {
                "index": 501,
                "to": "+10000000000",
                "code": "not_sendable",
                "error": "VOIP numbers not allowed",
            },
        ],
    }


def test_limits_page_partial_failure_through_the_client(client):
    messages = [
        {"to": f"+1415555{i:04d}", "body": "Flash sale! 50% off today."} for i in range(1000)
    ]
    messages[42]["to"] = "+1invalid"
    messages[501]["to"] = "+10000000000"
    result = client.send_bulk("+18005551234", messages)
    assert (result.queued_count, result.error_count) == (998, 2)
    assert [(e.index, e.to, e.code) for e in result.errors] == [
        (42, "+1invalid", "invalid_phone"),
        (501, "+10000000000", "not_sendable"),
    ]
    assert result.errors[0].explanation == (
        "this isn't a complete phone number with its country code"
    )


def test_v1_bulk_example(sandbox):
    # The v1 page's curl example, with its own from_phone_number_id.
    with httpx.Client(base_url=sandbox.base_url, trust_env=False) as session:
        response = session.post(
            "/v1/messages/bulk",
            headers={"X-Api-Key": DEMO_API_KEY, "Content-Type": "application/json"},
            json={
                "from_phone_number_id": "pn_abc123def456",
                "messages": [
                    {
                        "to_msisdn": "+14155551234",
                        "body": "Hello John! Check out our latest offer.",
                    },
                    {
                        "to_msisdn": "+14155551235",
                        "body": "Hello Jane! Check out our latest offer.",
                    },
                    {"to_msisdn": "+14155551236", "body": "Hello Bob! Check out our latest offer."},
                ],
            },
        )
    assert response.status_code == 201
    assert response.json() == {
        "queued_count": 3,
        "error_count": 0,
        "errors": [],
        "deprecated": True,
    }
    assert response.headers["Deprecation"] == "true"
    assert "Sunset" in response.headers
    assert len(sandbox.ledger) == 3


def test_v1_partial_success_reports_to_msisdn_and_text(client):
    result = client.send_v1_bulk(
        DEMO_V1_PHONE_NUMBER_ID,
        [
            {"to_msisdn": "+14155551234", "body": "Hello John!"},
            {"to_msisdn": "555-1234", "body": "Hello Jane!"},
            {"to_msisdn": "+14155551236"},
        ],
    )
    assert result.deprecated is True
    assert (result.queued_count, result.error_count) == (1, 2)
    assert [(e.index, e.to) for e in result.errors] == [(1, "555-1234"), (2, "+14155551236")]
    # v1 errors carry no code: the client keeps the server's own words.
    assert result.errors[0].code == "rejected"
    assert result.errors[0].explanation == "Invalid phone number format"
    assert result.errors[1].explanation == "Missing message body"


def test_v1_error_code_table(sandbox):
    url = "/v1/messages/bulk"
    ok = {"to_msisdn": "+14155551234", "body": "Hi"}
    with httpx.Client(base_url=sandbox.base_url, trust_env=False) as session:
        key = {"X-Api-Key": DEMO_API_KEY}
        cases = [
            (session.post(url, headers=key, json={"messages": [ok]}), 400, "missing_from"),
            (
                session.post(url, headers=key, json={"from_phone_number_id": "pn_abc123def456"}),
                400,
                "missing_messages",
            ),
            (
                session.post(
                    url,
                    headers=key,
                    json={"from_phone_number_id": DEMO_V1_PHONE_NUMBER_ID, "messages": [ok] * 1001},
                ),
                400,
                "too_many_messages",
            ),
            (
                session.post(
                    url, headers=key, json={"from_phone_number_id": "pn_nope", "messages": [ok]}
                ),
                404,
                "list_not_found",
            ),
            (session.post(url, json={"from_phone_number_id": "x", "messages": [ok]}), 401,
             "missing_api_key"),
            (
                session.post(
                    url,
                    headers={"X-Api-Key": "trk_unknown"},
                    json={"from_phone_number_id": "x", "messages": [ok]},
                ),
                401,
                "invalid_api_key",
            ),
        ]  # fmt: skip
    for response, status, code in cases:
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert len(sandbox.ledger) == 0
