"""Message templates: fields, fallbacks, {{messageId}}, errors with positions, bulk rendering."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackly_desktop.core.errors import TemplateError
from trackly_desktop.core.messages.templates import (
    TemplateProblem,
    field_key,
    find_template_problems,
    parse_template,
)

# The machine running the tests is shared: no per-example time limit.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = ["Phone", "First Name", "Order No", "Pick-up time", "Straße"]


def test_fields_ignore_case_spaces_and_underscores() -> None:
    template = parse_template("{{ order no }} {{ORDER_NO}} {{pick-up TIME}} {{straße}}", HEADERS)
    assert template.fields_used == ("orderno", "pick-uptime", "strasse")  # casefolded
    body = template.render({"Order No": "A-17", "Pick-up time": "3 pm", "Straße": "Hauptstr."})
    assert body == "A-17 A-17 3 pm Hauptstr."


def test_role_fields_and_fallbacks() -> None:
    template = parse_template("Hi {{first_name|there}} {{last_name}}!", HEADERS)
    assert template.render({"first_name": "Ada", "last_name": "Lovelace"}) == "Hi Ada Lovelace!"
    assert template.render({"first_name": "  ", "last_name": ""}) == "Hi there !"
    assert template.render({}) == "Hi there !"
    # A role wins over a header that squashes to the same name.
    assert template.render({"First Name": "Header", "first_name": "Role"}) == "Hi Role !"


def test_message_id_is_left_for_the_server() -> None:
    template = parse_template("Ref {{messageId}} / {{ MessageID }}", HEADERS)
    assert template.render({}) == "Ref {{messageId}} / {{messageId}}"
    assert template.fields_used == ()


def test_single_braces_are_text() -> None:
    template = parse_template("Use code {SAVE10} or [x] ~ | ^ €", HEADERS)
    assert template.render({}) == "Use code {SAVE10} or [x] ~ | ^ €"


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("Hi {{nickname}}", 3, "no column called “nickname”"),
        ("Hi {{first_name", 3, "never closed"),
        ("Hi first_name}} now", 13, "no matching {{"),
        ("{{first_name}} {{ }}", 15, "empty"),
        ("Hi {{first {{last_name}}", 3, "never closed"),
    ],
)
def test_errors_carry_their_position(text: str, position: int, words: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, HEADERS)
    assert caught.value.position == position
    assert words in str(caught.value)
    assert find_template_problems(text, HEADERS)[0].position == position


def test_all_problems_are_listed_for_the_editor() -> None:
    text = "{{a}} ok {{Order No}} }} {{b|x}} {{"
    problems = find_template_problems(text, HEADERS)
    assert [(p.position, p.length) for p in problems] == [(0, 5), (22, 2), (25, 7), (33, 2)]
    assert all(isinstance(p, TemplateProblem) and p.message for p in problems)
    for problem in problems:
        assert text[problem.position : problem.position + 2] in ("{{", "}}")


def test_render_columns_matches_render() -> None:
    template = parse_template("{{first_name|friend}}: order {{Order No}} {{messageId}}", HEADERS)
    columns = {field_key("first_name"): ["Ada", "", " "], field_key("Order No"): ["1", "2", "3"]}
    bodies = template.render_columns(columns, 3)
    assert bodies == [
        "Ada: order 1 {{messageId}}",
        "friend: order 2 {{messageId}}",
        "friend: order 3 {{messageId}}",
    ]
    assert parse_template("plain", HEADERS).render_columns({}, 2) == ["plain", "plain"]
    assert parse_template("", HEADERS).render_columns({}, 2) == ["", ""]


LITERAL = st.text(alphabet=st.characters(blacklist_characters="{}|"), max_size=12)
FIELD = st.sampled_from(["first_name", "First_Name", "Order No", "order_no", "Straße", "messageId"])
VALUE = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=8)


@RELAXED
@given(st.lists(st.tuples(LITERAL, FIELD, st.one_of(st.none(), LITERAL)), max_size=6), LITERAL)
def test_rendering_is_the_parts_joined(
    pieces: list[tuple[str, str, str | None]], tail: str
) -> None:

    headers = ["Order No", "Straße"]
    text = "".join(
        lit + "{{" + name + (f"|{fb}" if fb is not None else "") + "}}" for lit, name, fb in pieces
    )
    text += tail
    template = parse_template(text, headers)
    values = {"first_name": "Ann", "Order No": "", "Straße": "S1"}
    by_key = {"firstname": "Ann", "orderno": "", "strasse": "S1"}
    expected = []
    for lit, name, fallback in pieces:
        expected.append(lit)
        if field_key(name) == "messageid":
            expected.append("{{messageId}}")
            continue
        value = by_key[field_key(name)]
        expected.append(fallback if fallback and not value.strip() else value)
    expected.append(tail)
    assert template.render(values) == "".join(expected)


@RELAXED
@given(st.text(alphabet="{}|ab_ ", max_size=30))
def test_problems_and_parsing_agree(text: str) -> None:
    problems = find_template_problems(text, ["a", "b"])
    try:
        parse_template(text, ["a", "b"])
    except TemplateError as exc:
        assert problems and exc.position == problems[0].position
        assert 0 <= exc.position < len(text)
    else:
        assert problems == []


@RELAXED
@given(st.lists(VALUE, min_size=1, max_size=20), st.lists(VALUE, min_size=1, max_size=20))
def test_bulk_and_single_rendering_agree(names: list[str], orders: list[str]) -> None:
    count = min(len(names), len(orders))
    names, orders = names[:count], orders[:count]
    template = parse_template("Hi {{first_name|you}}, #{{order no}}{{Order No|-}}.", HEADERS)
    bulk = template.render_columns({"firstname": names, "orderno": orders}, count)
    single = [
        template.render({"first_name": n, "Order No": o})
        for n, o in zip(names, orders, strict=True)
    ]
    assert bulk == single
