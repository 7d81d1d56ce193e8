"""Segments and length: Twilio's message-segment-calculator vectors, boundaries, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trackly_desktop.contract import MAX_BODY_CHARS
from trackly_desktop.core.messages.segments import (
    ENCODING_NAMES,
    GSM_BASIC,
    GSM_EXTENDED,
    MESSAGE_ID_LENGTH,
    SPECIAL_CHARACTERS,
    STANDARD_CHARACTERS,
    body_length,
    measure,
)

# The machine running the tests is shared: no per-example time limit.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

DIGITS = "1234567890" * 40

# From TwilioDevEd/message-segment-calculator's tests (body, encoding, segments).
TWILIO_VECTORS = [
    (DIGITS[:160], "GSM-7", 1),
    (DIGITS[:161], "GSM-7", 2),
    (DIGITS[:307], "GSM-7", 3),
    ("😜" + DIGITS[1:69], "UCS-2", 1),
    ("😜" + DIGITS[1:70], "UCS-2", 2),
    ("😜" + DIGITS[1:134], "UCS-2", 3),
    ("🇮🇹" + DIGITS[1:67], "UCS-2", 1),
    ("🇮🇹" + DIGITS[1:68], "UCS-2", 2),
    ("🏳️\u200d🌈" + DIGITS[1:65], "UCS-2", 1),
    ("🏳️\u200d🌈" + DIGITS[1:66], "UCS-2", 2),
    ("😀" + "]" * 68, "UCS-2", 1),  # GSM extension characters count 1 in UCS-2
    ("😀" + "]" * 69, "UCS-2", 2),
]


@pytest.mark.parametrize(("body", "encoding", "segments"), TWILIO_VECTORS)
def test_twilio_vectors(body: str, encoding: str, segments: int) -> None:
    info = measure(body)
    assert (info.encoding, info.segments) == (encoding, segments)


@pytest.mark.parametrize("escape", sorted("|^€{}[]~\\"))
def test_twilio_escape_characters(escape: str) -> None:
    assert measure(escape + DIGITS[:158]) == measure(escape + DIGITS[:158])
    one = measure(escape + DIGITS[:158])
    assert (one.encoding, one.units, one.segments) == ("GSM-7", 160, 1)
    two = measure(escape + DIGITS[:159])
    assert (two.encoding, two.units, two.segments) == ("GSM-7", 161, 2)


@pytest.mark.parametrize("char", ["Á", "Ú", "ú", "ç", "í", "Í", "ó", "Ó"])
def test_twilio_one_grapheme_ucs2(char: str) -> None:
    assert measure(char * 70).segments == 1
    assert measure(char * 71).segments == 2
    assert measure(char * 71).special_characters == (char,)


def test_crlf_counts_two() -> None:
    assert measure("abcde\r\n123").units == 10
    assert measure("abcde\n123").units == 9


def test_extension_character_is_never_split() -> None:
    # 152 + "^" (2) would straddle the 153-septet boundary: it moves to part two.
    body = "1" * 152 + "^" + "1" * 152
    assert measure(body).units == 306
    assert measure(body).segments == 3
    assert measure("1" * 151 + "^" + "1" * 153).segments == 2


def test_surrogate_pair_is_never_split() -> None:
    body = "ç" * 66 + "😀" + "ç" * 66
    assert measure(body).units == 134
    assert measure(body).segments == 3


def test_special_characters_are_reported_in_order() -> None:
    info = measure("Café ☕ naïve ☕ ok")
    assert info.encoding == "UCS-2"
    assert info.special_characters == ("☕", "ï")
    assert info.encoding_name == SPECIAL_CHARACTERS
    assert measure("Plain £5 é").encoding_name == STANDARD_CHARACTERS
    assert ENCODING_NAMES == {"GSM-7": STANDARD_CHARACTERS, "UCS-2": SPECIAL_CHARACTERS}


def test_message_id_counts_eight() -> None:
    assert MESSAGE_ID_LENGTH == 8
    assert measure("Ref {{messageId}}").units == 4 + 8
    assert body_length("Ref {{messageId}}") == 12
    assert measure("x" * 152 + "{{messageId}}").segments == 1  # 160 exactly
    assert measure("x" * 153 + "{{messageId}}").segments == 2
    assert body_length("x" * (MAX_BODY_CHARS - 8) + "{{messageId}}") == MAX_BODY_CHARS


GSM_TEXT = st.text(alphabet=sorted(GSM_BASIC | GSM_EXTENDED), max_size=700)
ANY_TEXT = st.text(max_size=400)


@RELAXED
@given(GSM_TEXT)
def test_gsm_properties(text: str) -> None:
    info = measure(text)
    assert info.encoding == "GSM-7"
    assert info.special_characters == ()
    sent = text.replace("{{messageId}}", "x" * MESSAGE_ID_LENGTH)
    assert info.units == len(sent) + sum(1 for c in sent if c in GSM_EXTENDED)
    if info.units <= 160:
        assert info.segments == 1
    else:
        # Never fewer parts than the septets need, and at most one septet lost per part.
        assert math.ceil(info.units / 153) <= info.segments <= math.ceil(info.units / 152)


@RELAXED
@given(ANY_TEXT, st.sampled_from(["☕", "😀", "ç", "中", "\u200b"]))
def test_one_special_character_makes_it_ucs2(text: str, special: str) -> None:
    body = text + special
    info = measure(body)
    assert info.encoding == "UCS-2"
    assert special in info.special_characters
    assert all(c not in GSM_BASIC and c not in GSM_EXTENDED for c in info.special_characters)
    sent = body.replace("{{messageId}}", "x" * MESSAGE_ID_LENGTH)  # the server's 8 characters
    assert info.units == len(sent.encode("utf-16-le")) // 2
    if info.units <= 70:
        assert info.segments == 1
    else:
        assert math.ceil(info.units / 67) <= info.segments <= math.ceil(info.units / 66)


@RELAXED
@given(ANY_TEXT, st.text(max_size=5))
def test_adding_text_never_needs_fewer_parts(text: str, more: str) -> None:
    before, after = measure(text), measure(text + more)
    if before.encoding == after.encoding:
        assert after.segments >= before.segments
        assert after.units >= before.units


def test_many_bodies_measured_at_once_as_one_by_one() -> None:
    from trackly_desktop.core.messages.segments import measure_bodies

    bodies = ["Hi Ada", "", "x" * 161, "Olá", "Ref {{messageId}}", "a^b" * 60, "😀" * 40]
    bodies += ["García", "a\x00b"]
    encodings, parts, lengths = measure_bodies(bodies[:-1])
    assert encodings == ["GSM-7"] * 3 + ["UCS-2", "GSM-7", "GSM-7", "UCS-2", "UCS-2"]
    # 161 standard characters: 2 parts; 60 extension characters never split: 2 parts of
    # 153 + 87 septets; 40 emoji never split: 33 + 7 in two parts of 67 units.
    assert parts.tolist() == [1, 1, 2, 1, 1, 2, 2, 1]
    assert lengths.tolist() == [6, 0, 161, 3, 12, 180, 40, 6]  # {{messageId}} counts as 8
    # A body holding the separator the quick path joins with is measured on its own.
    encodings, parts, lengths = measure_bodies(bodies)
    assert (encodings[-1], parts[-1], lengths[-1]) == ("UCS-2", 1, 3)
    assert [measure(b).segments for b in bodies] == parts.tolist()
    # {{messageId}} in every body, and as many as bodies but not one in each.
    assert measure_bodies(["Ref {{messageId}}", "{{messageId}} é"])[2].tolist() == [12, 10]
    assert measure_bodies(["{{messageId}}{{messageId}}", "x"])[2].tolist() == [16, 1]


@given(
    st.lists(
        st.lists(
            st.sampled_from(["a", "{", "}", "{{messageId}}", "{{messageId", "messageId}}", "é"])
            | st.sampled_from(["€", "^", "~", "\n", "中", "😀", " ", "a" * 79]),
            max_size=12,
        ).map("".join),
        min_size=1,
        max_size=6,
    )
)
@example(["a" * 159 + "{"])  # 161 septets: two parts
@example(["Ref {{messageId}}", "a" * 159 + "}"])  # a stray brace beside an id's own
def test_bodies_with_braces_and_message_ids_measured_at_once_as_one_by_one(
    bodies: list[str],
) -> None:
    """Message ids, lone braces and extension characters together, short and across part
    boundaries: the quick path's septet check lets only the ids' own braces through."""
    from trackly_desktop.core.messages.segments import body_length, measure_bodies

    encodings, parts, lengths = measure_bodies(bodies)
    assert encodings == [measure(b).encoding for b in bodies]
    assert parts.tolist() == [measure(b).segments for b in bodies]
    assert lengths.tolist() == [body_length(b) for b in bodies]
