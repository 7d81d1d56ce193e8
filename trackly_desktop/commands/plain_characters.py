"""`--plain-characters` and the plain-characters hint of `trackly check` and `trackly send`.

The Message step names the curly quotes, long dashes and "…" that make a message cost more
parts, and offers "Use plain characters" with the saving; the command line says the same,
for every ready message together, with the same rule and words (`core.messages.cost`,
`core.recipients.plain_offer`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from trackly_desktop.core.messages.cost import (
    about_cost,
    estimate,
    parse_price,
    plain_characters,
    plain_saving,
)
from trackly_desktop.core.recipients.plain_offer import (
    PLAIN_OPTION,
    messages_words,
    plain_saving_of_send,
)
from trackly_desktop.settings import load_settings

if TYPE_CHECKING:  # the module is light: `trackly send --help` reads its option
    from trackly_desktop.core.recipients.build import Recipients


def add_plain_characters_argument(parser: argparse.ArgumentParser) -> None:
    """`--plain-characters`, for check and send alike."""
    parser.add_argument(
        "--plain-characters",
        action="store_true",
        help="swap curly quotes, long dashes and “…” in the message for plain look-alikes, "
        "so each part holds 160 characters instead of 70",
    )


def plain_template(template: str, args: argparse.Namespace) -> tuple[str, tuple[str, ...]]:
    """The message as it will be checked or sent, and the characters made plain (none
    without --plain-characters)."""
    if not getattr(args, "plain_characters", False):
        return template, ()
    return plain_characters(template), plain_saving(template).replaceable


def price_and_currency(args: argparse.Namespace) -> tuple[Any, str]:
    """The price of one part (None when none is set) and the currency."""
    settings = load_settings()
    given = getattr(args, "price_per_part", None)
    price = parse_price(given if given is not None else settings.price_per_part)
    return price, settings.currency


class PlainOffer:
    """What `trackly check` and `trackly send` say of the message's plain characters."""

    def __init__(
        self, recipients: Recipients, args: argparse.Namespace, made_plain: Sequence[str] = ()
    ) -> None:
        self.made_plain: tuple[str, ...] = tuple(made_plain)
        self.saving = plain_saving_of_send(recipients)
        self.messages = recipients.summary().ready
        self.price, self.currency = price_and_currency(args)

    def lines(self) -> list[str]:
        lines = []
        if self.made_plain:
            lines.append(
                f"Plain characters: {' '.join(self.made_plain)} in the message made plain "
                f"({PLAIN_OPTION})."
            )
        if self.saving.worth_offering:
            less = about_cost(self.saving.saves_parts, self.price, self.currency)
            what = messages_words(self.messages)
            lines.append(self.saving.words(what, f"{less} less" if less else ""))
            lines.append(
                f"Add {PLAIN_OPTION} to use plain ones (trackly check and trackly send both "
                "take it), or retype them in the message."
            )
        return lines

    def as_json(self) -> dict[str, Any] | None:
        """null when plain characters would save nothing."""
        saving = self.saving
        if not saving.worth_offering:
            return None
        found: dict[str, Any] = {
            "characters": list(saving.replaceable),
            "segments": saving.parts_now,
            "segments_plain": saving.parts_plain,
            "saves_segments": saving.saves_parts,
            "option": PLAIN_OPTION,
        }
        amount = estimate(saving.saves_parts, self.price)
        if amount is not None:
            found["saves_amount"] = {"amount": str(amount), "currency": self.currency}
        return found
