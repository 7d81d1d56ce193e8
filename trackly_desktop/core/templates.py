"""Message templates: `Hi {{first_name|there}}, your {{Order No}} is ready.`

- `{{name}}` is a field: a role (`first_name`, `last_name`) or any column header; case,
  spaces and underscores are ignored when matching (`{{order no}}` finds "Order No").
- `{{name|fallback}}` uses `fallback` when the row's value is empty (or only spaces).
- `{{messageId}}` stays in the body for the server, which puts the message id there.
- An unknown field, a `{{` that never closes or a `}}` that never opened is an error with
  its position. Single braces are ordinary text.

Values reach `render` keyed by field name: `build_recipients` passes every column header
plus "first_name"/"last_name" holding the mapped columns' values; a role wins over a
header that looks the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

from trackly_desktop.core.errors import TemplateError
from trackly_desktop.core.segments import MESSAGE_ID_MACRO

ROLE_FIELDS = ("first_name", "last_name")
_MESSAGE_ID_KEY = "messageid"
_OPEN, _CLOSE = "{{", "}}"
_SQUASH = re.compile(r"[\s_]+")


def field_key(name: str) -> str:
    """How a field name is compared: case, spaces and underscores ignored."""
    return _SQUASH.sub("", name).casefold()


# field key -> role name ("firstname" -> "first_name")
ROLE_KEYS = {field_key(role): role for role in ROLE_FIELDS}


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """A problem to underline in the editor: `length` characters from `position`."""

    position: int
    length: int
    message: str


@dataclass(frozen=True, slots=True)
class FieldPart:
    """One `{{...}}` in the template: the key it reads and its fallback ("" if none)."""

    key: str
    fallback: str
    source: str  # as written, for messages


def _scan(text: str, keys: set[str]) -> tuple[list[str | FieldPart], list[TemplateProblem]]:
    parts: list[str | FieldPart] = []
    problems: list[TemplateProblem] = []
    literal: list[str] = []
    pos = 0
    while pos < len(text):
        opening = text.find(_OPEN, pos)
        closing = text.find(_CLOSE, pos)
        if closing != -1 and (opening == -1 or closing < opening):
            problems.append(TemplateProblem(closing, 2, "This }} has no matching {{."))
            literal.append(text[pos : closing + 2])
            pos = closing + 2
            continue
        if opening == -1:
            literal.append(text[pos:])
            break
        literal.append(text[pos:opening])
        end = text.find(_CLOSE, opening + 2)
        nested = text.find(_OPEN, opening + 2)
        if end == -1 or (nested != -1 and nested < end):
            problems.append(TemplateProblem(opening, 2, "This {{ is never closed with }}."))
            literal.append(_OPEN)
            pos = opening + 2
            continue
        inner = text[opening + 2 : end]
        name, _, fallback = inner.partition("|")
        key = field_key(name)
        if key == _MESSAGE_ID_KEY:  # always filled by the server: a fallback is never needed
            literal.append(MESSAGE_ID_MACRO)
        elif not key:
            problems.append(TemplateProblem(opening, end + 2 - opening, "This field is empty."))
        elif key not in keys:
            problems.append(
                TemplateProblem(
                    opening,
                    end + 2 - opening,
                    f"There is no column called “{name.strip()}” for {{{{{inner}}}}}.",
                )
            )
        else:
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(FieldPart(key, fallback, inner))
        pos = end + 2
    if literal:
        parts.append("".join(literal))
    return parts, problems


def find_template_problems(text: str, fields: Sequence[str]) -> list[TemplateProblem]:
    """Every problem in `text` (unknown fields, unbalanced braces), without raising."""
    return _scan(text, _known_keys(fields))[1]


def _known_keys(fields: Sequence[str]) -> set[str]:
    return {field_key(f) for f in fields} | set(ROLE_KEYS)


@dataclass(frozen=True)
class Template:
    """A checked template, compiled to literal text and field parts."""

    text: str
    parts: tuple[str | FieldPart, ...]

    @property
    def fields_used(self) -> tuple[str, ...]:
        """The field keys the template reads, each once, in order of first use."""
        return tuple(dict.fromkeys(p.key for p in self.parts if isinstance(p, FieldPart)))

    def render(self, values: Mapping[str, str]) -> str:
        """The body for one row; `values` keyed by header or role name."""
        keyed = {field_key(k): v for k, v in values.items()}
        for key, role in ROLE_KEYS.items():  # a role wins over a header that looks the same
            if role in values:
                keyed[key] = values[role]
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = keyed.get(part.key, "")
                empty = not value or value.isspace()
                out.append(part.fallback if part.fallback and empty else value)
        return "".join(out)

    def render_columns(self, columns: Mapping[str, Sequence[str]], count: int) -> list[str]:
        """The bodies of `count` rows at once; `columns` maps a field key (`field_key(header)`,
        or `field_key("first_name")` for a role) to that column's values.

        Each field is resolved per column (not per cell) and the rows are joined in one pass,
        which is what makes a million rows affordable.
        """
        pieces: list[Sequence[str] | repeat[str]] = []
        for part in self.parts:
            if isinstance(part, str):
                pieces.append(repeat(part, count))
                continue
            column = columns.get(part.key)
            if column is None:  # a role with no mapped column: always empty
                pieces.append(repeat(part.fallback, count))
            elif part.fallback:
                fallback = part.fallback
                pieces.append([v if v and not v.isspace() else fallback for v in column])
            else:
                pieces.append(column)
        if not pieces:
            return [""] * count
        if len(pieces) == 1:
            return list(pieces[0])
        return ["".join(row) for row in zip(*pieces, strict=False)]


def parse_template(text: str, fields: Sequence[str]) -> Template:
    """Compile `text` for a file with these column headers; raise `TemplateError` if wrong."""
    parts, problems = _scan(text, _known_keys(fields))
    if problems:
        first = problems[0]
        raise TemplateError(first.message, first.position)
    return Template(text, tuple(parts))
