"""The sentences of the Send step: exact numbers, plain words, nothing to decode.

Kept apart from the widgets so the wording can be read (and tested) in one place.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from trackly_desktop.core.plurals import counted


@lru_cache(maxsize=8192)  # tables ask again for the rows on screen at every repaint
def display_number(e164: str) -> str:
    """Group an E.164 number the way people read it aloud: +18005551000 -> +1 800 555 1000.

    The one format for a number the app shows (sending number, "Will be sent to", tests).
    """
    if not e164:
        return ""
    import phonenumbers  # noqa: PLC0415 - heavy; only needed once there is a number to show

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    text = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return text.replace("-", " ")


# "Send again to the ones that failed" when none of them can be: why, and what to do.
NOTHING_TO_SEND_AGAIN = (
    "None of these can be sent again as they are: people who unsubscribed and numbers "
    "that cannot get texts are not texted again. To send to a corrected number, "
    "double-click it in the table and type the right one."
)
NOTHING_TO_SEND_AGAIN_FROM_HISTORY = (
    "None of the ones that failed can be sent again as they are: people who unsubscribed "
    "and numbers that cannot get texts are not texted again. To send to a corrected "
    "number, choose Show results, double-click it and type the right one."
)
SEND_AGAIN_TIP = (
    "Send again the messages that failed for a reason that may have gone away (a dropped "
    "connection, a busy carrier, or a number you corrected). People who opted out or whose "
    "number cannot get texts are not sent again."
)


def retry_words(count: int) -> str:
    """The send-again button: "Send again to the 3 that failed" (Alt+A)."""
    if count == 1:
        return "Send &again to the one that failed"
    if count:
        return f"Send &again to the {count:,} that failed"
    return "Send &again to the ones that failed"


def send_totals(recipients: Any) -> tuple[int, int]:
    """(messages, message parts) that a send of `recipients` would hand to Trackly."""
    if recipients is None:
        return 0, 0
    summary = recipients.summary()
    return int(summary.ready), int(summary.segments)


def _parts_and_cost(parts: int, cost: str) -> str:
    """ "1,450 parts" or "1,450 parts, about $11.60" (`cost` is "" when no price is set)."""
    return f"{counted(parts, 'part')}, {cost}" if cost else counted(parts, "part")


def confirmation_sentence(messages: int, parts: int, list_number: str, cost: str = "") -> str:
    """ "Send 1,200 messages (1,450 parts, about $11.60) from +1 800 555 1000?"."""
    return (
        f"Send {counted(messages, 'message')} ({_parts_and_cost(parts, cost)}) "
        f"from {display_number(list_number)}?"
    )


def ready_sentence(
    messages: int, parts: int, list_number: str, *, demo: bool, cost: str = ""
) -> str:
    if messages == 0:
        return (
            "Nobody is ready to receive a message yet. Go back to Contacts to open a "
            "spreadsheet, or fix the rows that need attention."
        )
    if not list_number:
        return (
            f"{counted(messages, 'message')} ready. Set your sending number in Settings "
            "before you send."
        )
    sentence = (
        f"{counted(messages, 'message')} ({_parts_and_cost(parts, cost)}) are ready to go "
        f"from {display_number(list_number)}."
    )
    if demo:
        sentence += " This is the demo: nobody receives these messages."
    return sentence


def progress_sentence(state: Any, *, paused: bool = False) -> str:
    """One line from a `SendProgress`: counts, speed and time left."""
    done = int(state.sent) + int(state.failed) + int(state.uncertain)
    parts = [f"{int(state.sent):,} sent of {int(state.total):,}"]
    if state.failed:
        parts.append(f"{int(state.failed):,} not sent")
    if state.uncertain:
        parts.append(f"{int(state.uncertain):,} not sure")
    if paused:
        parts.append("paused")
    else:
        rate = float(state.rate_per_s or 0.0)
        if rate > 0:
            parts.append(f"{rate:,.0f} a second")
        if state.eta_s is not None and done < int(state.total):
            # Imported here: the engine's modules are loaded by then, not at window start.
            from trackly_desktop.core.sending.tally import describe_duration  # noqa: PLC0415

            parts.append(f"about {describe_duration(float(state.eta_s))} left")
    line = " · ".join(parts)
    checking = checking_again_sentence(state)
    return f"{line}\n{checking}" if checking else line


def checking_again_sentence(state: Any) -> str:
    """What the app does about a lost answer, while it does it and once it is settled."""
    checking = int(getattr(state, "checking_again", 0) or 0)
    confirmed = int(getattr(state, "confirmed_by_check", 0) or 0)
    if checking:
        them = "it" if checking == 1 else "them"
        return (
            f"Trackly's answer about {counted(checking, 'message')} was lost on the way "
            f"back. Checking again: sending {them} once more with Trackly's duplicate check "
            "on, so nobody gets a text twice."
        )
    if confirmed:
        from trackly_desktop.core.sending.tally import confirmed_by_check_words  # noqa: PLC0415

        return confirmed_by_check_words(confirmed)
    return ""
