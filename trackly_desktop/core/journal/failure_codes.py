"""What a per-message error code means for the operator, and whether a retry can succeed.

The API client's catalogue (`api.errors.explain`) turns codes into plain sentences; this
module adds the send-side judgement: a message refused for its number or text can succeed
only after the operator fixes that row, one refused for an account or list problem may
succeed later as it is, and a few can never succeed by resending (a duplicate, an opt-out).
"""

from __future__ import annotations

from trackly_desktop.api.errors import explain

# What the operator reads for a message whose fate is unknown (its batch got no answer).
UNCERTAIN_REASON = (
    "The connection dropped while this message was being handed over, so it may or may "
    "not have gone out."
)

# Resending can never help, and for duplicate_message it would be a second copy.
FINAL_CODES = frozenset(
    {"duplicate_message", "opted_out", "missing_list_number", "invalid_list_number"}
)
# Refused for this row's own number or text: a retry succeeds only after a fix.
NEEDS_FIX_CODES = frozenset(
    {
        "invalid_phone",
        "missing_to",
        "not_sendable",
        "missing_body",
        "body_too_long",
        "payload_too_large",
    }
)


def explain_code(code: str, text: str = "") -> str:
    """One plain sentence for `code`; an unknown code keeps the provider's own text."""
    sentence = explain(code or "rejected", text or None).strip()
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def is_retryable(code: str, edited: bool) -> bool:
    """Can resending this failed row succeed? `edited`: the operator changed it since."""
    if code in FINAL_CODES:
        return False
    if code in NEEDS_FIX_CODES:
        return edited
    return True
