"""The cost of a send and "Use plain characters": exact money, plain sentences for bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.messages.cost import (
    about_cost,
    currency_for_region,
    estimate,
    format_money,
    parse_price,
    plain_characters,
    plain_saving,
)


def test_the_issue_example_costs_eleven_sixty():
    # 1,450 parts at 0.008 a part: exactly 11.60, never 11.599999.
    assert estimate(1450, Decimal("0.008")) == Decimal("11.60")
    assert about_cost(1450, Decimal("0.008"), "USD") == "about $11.60"


def test_no_price_means_no_cost_words():
    assert estimate(1450, None) is None
    assert about_cost(1450, None, "USD") == ""


@pytest.mark.parametrize(
    ("typed", "price"),
    [("", None), ("  ", None), ("0.008", Decimal("0.008")), ("0,0075", Decimal("0.0075")),
     ("$0.04", Decimal("0.04")), ("€ 0.05", Decimal("0.05")), ("0", Decimal("0"))],
)  # fmt: skip
def test_prices_as_operators_type_them(typed, price):
    assert parse_price(typed) == price


@pytest.mark.parametrize(
    ("typed", "start"),
    [("abc", "“abc” is not a price"), ("-1", "The price of a message part must be zero"),
     ("nan", "The price of a message part must be zero"),
     ("250", "That price is for one message part, not the whole send")],
)  # fmt: skip
def test_bad_prices_get_one_plain_sentence(typed, start):
    with pytest.raises(TracklyDesktopError) as caught:
        parse_price(typed)
    assert str(caught.value).startswith(start)


def test_money_in_the_locale_currency():
    assert currency_for_region("GB") == "GBP"
    assert currency_for_region("de") == "EUR"
    assert currency_for_region("ZZ") == "USD"
    assert format_money(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert format_money(Decimal("11.6"), "CHF") == "11.60 CHF"
    assert about_cost(3, Decimal("0.005"), "GBP") == "about £0.02"  # 0.015 rounds half up


def test_plain_characters_swap_word_processor_typography():
    typed = "We\u2019re open \u2014 \u201cdrop by\u201d\u2026\u00a0Reply STOP"
    assert plain_characters(typed) == "We're open - \"drop by\"... Reply STOP"


def test_plain_saving_names_the_characters_and_the_parts_saved():
    # 100 characters with one curly apostrophe: 2 special-character parts, 1 plain part.
    body = "It\u2019s ready" + "x" * 90
    saving = plain_saving(body)
    assert saving.replaceable == ("\u2019",)
    assert saving.remaining == ()
    assert (saving.parts_now, saving.parts_plain, saving.saves_parts) == (2, 1, 1)


def test_plain_saving_keeps_what_has_no_plain_look_alike():
    body = "Party \U0001f389 \u2014 don\u2019t miss it"
    saving = plain_saving(body)
    assert saving.replaceable == ("\u2014", "\u2019")
    assert saving.remaining == ("\U0001f389",)
    assert saving.saves_parts == 0  # the emoji keeps it special


def test_the_plain_characters_words_are_one_sentence_for_the_window_and_the_command_line():
    saving = plain_saving("It\u2019s ready" + "x" * 90)
    assert saving.worth_offering
    assert saving.words("this message") == (
        "Plain characters instead of \u2019 would make this message 1 part instead of 2."
    )
    assert saving.words("the 1,200 messages", "about $9.60 less") == (
        "Plain characters instead of \u2019 would make the 1,200 messages 1 part instead of "
        "2 (about $9.60 less)."
    )
    assert not plain_saving("Party \U0001f389 \u2014 don\u2019t miss it").worth_offering
    assert not plain_saving("It\u2019s ready").worth_offering  # one part either way
