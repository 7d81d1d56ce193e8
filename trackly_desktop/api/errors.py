"""What went wrong talking to Trackly, by kind, with a plain-language catalogue of codes.

Three kinds, because each asks the caller for a different reaction:

- `AuthError` (401/403, including `account_inactive`): the key or the account is wrong;
  every batch in flight must stop, retrying cannot help.
- `RequestRejected` (any other 4xx, and the client's own pre-send checks): this request
  will never be accepted as it is; the operator has to change something.
- `TransientError` (5xx, timeouts, connection errors): try again later. Its
  `outcome_unknown` says whether the server may have queued the messages anyway
  (read timeout, connection lost after the request was written) or certainly did not
  (connection refused, connect timeout, a 5xx answer).

`explain(code)` gives the operator's sentence for any code, request-level or per-message;
an unknown code is shown with the server's own text, never dropped. Whether a failed
message can be sent again is the send side's judgement (`core.journal.failure_codes`).
Nothing here ever holds the API key.
"""

from __future__ import annotations

from trackly_desktop.errors import TracklyDesktopError

# Plain-language explanations, written for a shop owner rather than a developer.
EXPLANATIONS: dict[str, str] = {
    # Authentication and account (401/403).
    "missing_api_key": "no API key was sent; enter your Trackly API key in the settings",
    "invalid_api_key": (
        "Trackly does not recognise this API key (it may have been revoked); "
        "copy a current key from your Trackly dashboard"
    ),
    "account_inactive": (
        "your Trackly account is not active, so Trackly refuses to send; "
        "check your plan or billing in the Trackly dashboard"
    ),
    # Whole-request problems.
    "missing_messages": "the request contained no messages",
    "too_many_messages": "a request may carry at most 1,000 messages",
    "missing_from": "no sending number was given",
    "request_too_large": "the request is larger than Trackly's 5 MB limit; send smaller batches",
    # Per-message (and single-send) problems.
    "missing_to": "this row has no phone number",
    "missing_list_number": "no sending number (list) was chosen",
    "missing_body": "the message is empty",
    "invalid_phone": "this isn't a complete phone number with its country code",
    "invalid_list_number": "the sending number isn't a complete phone number with its country code",
    "list_not_found": (
        "this sending number does not exist or does not belong to your Trackly account"
    ),
    "webhook_not_configured": (
        "this sending number uses your own carrier and its webhook is not verified yet; "
        "finish the webhook set-up in the Trackly dashboard"
    ),
    "not_sendable": "Trackly cannot text this number (for example an internet/VOIP number)",
    "payload_too_large": (
        "this message with its extra data is larger than Trackly's 4,000-byte limit per message"
    ),
    "body_too_long": "the message is longer than 1,600 characters (10 text segments)",
    "duplicate_message": (
        "the same message already went to this number from this sending number a few "
        "minutes ago, so Trackly did not send it again"
    ),
    "opted_out": "this person unsubscribed or is blocked, so Trackly will not text them",
    # The client's own codes for failures that have no server code.
    "connection_failed": (
        "could not reach Trackly; check the internet connection (nothing was sent)"
    ),
    "timeout": "Trackly did not answer in time",
    "outcome_unknown": (
        "the connection was lost after the messages were handed over, so they may or may "
        "not have been queued"
    ),
    "server_error": "Trackly had a temporary problem on its side",
    "malformed_response": "Trackly's answer could not be read",
    "unverifiable_answer": "Trackly answered in a way the app could not check",
    "answer_too_large": (
        "Trackly's answer was far larger than any real answer, so the app did not read it"
    ),
    "deadline": "Trackly took too long to answer, so the app stopped waiting",
    "cancelled": "the send was stopped while this request was under way",
    "invalid_base_url": (
        "the server address must start with https:// (plain http:// is only allowed "
        "for a server on this computer)"
    ),
    "invalid_json": "the request was not valid JSON (a fault in this program; please report it)",
    "invalid_message": "a message in the request was not well-formed (a fault in this program)",
    "not_found": "the server address does not lead to the Trackly API; check it in the settings",
    "method_not_allowed": "the server refused this kind of request (a fault in this program)",
    "internal_error": "Trackly had a temporary problem on its side",
    "service_unavailable": "Trackly is temporarily unavailable",
    "unencodable_record": "this row holds a value that cannot be sent (for example 'NaN')",
}

_ALREADY_SENT = frozenset({"duplicate_message"})


def explain(code: str, server_text: str | None = None) -> str:
    """The plain-language explanation of any code; an unknown code gets the server's text."""
    known = EXPLANATIONS.get(code)
    if known is not None:
        return known
    if server_text:
        return server_text
    if code == "rejected":  # v1 per-message errors have no code and came without text
        return "Trackly refused this message"
    if code.startswith("http_"):
        return f"Trackly answered with HTTP status {code[5:]}"
    return f"Trackly reported a problem it did not describe ({code})"


def means_already_sent(code: str) -> bool:
    """True when the code tells that the message was in fact sent earlier."""
    return code in _ALREADY_SENT


class ApiError(TracklyDesktopError):
    """A failure talking to Trackly.

    `status` is the HTTP status (None when there was no answer or the client refused
    before sending), `code` the machine code, `server_text` what the server said (may be
    empty), `explanation` the plain words. `str(exc)` is "code: explanation".
    `after_unknown_attempt` is True when an earlier try of the same request ended with an
    unknown outcome, so its messages may have been queued even though this one failed.
    """

    after_unknown_attempt: bool = False

    def __init__(
        self,
        code: str,
        *,
        status: int | None = None,
        server_text: str = "",
        explanation: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.server_text = server_text
        self.explanation = explanation or explain(code, server_text)
        super().__init__(f"{code}: {self.explanation}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r})"


class AuthError(ApiError):
    """401/403: the key is missing, unknown or revoked, or the account is inactive.

    Everything must stop: no other request with this key can succeed.
    """


class RequestRejected(ApiError):  # noqa: N818 - the name the team codes against
    """Any other 4xx, or a request the client refused to send (too large, bad record)."""


class TransientError(ApiError):
    """5xx, timeout or connection trouble; trying again later may work.

    `outcome_unknown` is False when the request certainly did not reach the server
    (connection refused, connect timeout, a 5xx answer) and True when the server may have
    queued it (read timeout, connection lost after the request was written): resending
    then is only safe while the provider's duplicate check is on.
    """

    def __init__(
        self,
        code: str,
        *,
        outcome_unknown: bool,
        status: int | None = None,
        server_text: str = "",
        explanation: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after
        if explanation is None:
            explanation = explain(code, server_text)
            if outcome_unknown and code != "outcome_unknown":
                explanation += "; the messages may or may not have been queued"
            elif not outcome_unknown and status is not None:
                explanation += "; it did not accept the messages"
            elif not outcome_unknown and code != "connection_failed":
                explanation += "; nothing was sent"
        super().__init__(code, status=status, server_text=server_text, explanation=explanation)

    def __repr__(self) -> str:
        return (
            f"TransientError(code={self.code!r}, status={self.status!r}, "
            f"outcome_unknown={self.outcome_unknown!r})"
        )


class InvalidBaseUrl(ApiError):  # noqa: N818 - reads as "raise InvalidBaseUrl"
    """The configured server address is not https (or http to this computer)."""

    def __init__(self) -> None:
        super().__init__("invalid_base_url")
