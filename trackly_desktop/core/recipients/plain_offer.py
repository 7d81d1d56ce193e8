""" "Use plain characters" for a whole send: which characters of the message have a plain
look-alike, and the parts every ready person's message would save (`trackly check` and
`trackly send` say it; the Message step says it of the message on screen). The rule of
what is plain, and the words, are `core.messages.cost`'s: written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trackly_desktop.core.messages.cost import PlainSaving, plain_characters, plain_saving

if TYPE_CHECKING:
    from trackly_desktop.core.recipients.build import Recipients

# What the command line's hint names as the fix.
PLAIN_OPTION = "--plain-characters"


def plain_saving_of_send(recipients: Recipients) -> PlainSaving:
    """The message's own special characters that have a plain look-alike, and the parts of
    all the ready rows now and with plain ones (the fields' values stay as they are, as
    "Use plain characters" changes only the message)."""
    text = recipients.template.text
    own = plain_saving(text)
    now = recipients.summary().segments
    if not own.replaceable:
        return PlainSaving((), own.remaining, now, now)
    plain = recipients.parts_with_message(plain_characters(text))
    return PlainSaving(own.replaceable, own.remaining, now, plain)


def messages_words(count: int) -> str:
    """What a whole send's saving is said of: "the message", "the 1,200 messages"."""
    return "the message" if count == 1 else f"the {count:,} messages"
