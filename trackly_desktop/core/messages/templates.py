"""Message templates: `Hi {{first_name|there}}, your {{Order No}} is ready.`

- `{{name}}` is a field: a role (`first_name`, `last_name`) or any column header; case,
  spaces and underscores are ignored when matching (`{{order no}}` finds "Order No").
- `{{name|fallback}}` uses `fallback` when the row's value is empty (or only spaces).
- `{{messageId}}` stays in the body for the server, which puts the message id there.
- An unknown field, a `{{` that never closes or a `}}` that never opened is an error with
  its position. Single braces are ordinary text.

Every body (the Message preview, Review, `trackly check`, the journal and so what is
sent) is rendered by `Template.render_rows`: `field_columns` gives each header its field
key and each role the column mapped to it. An unmapped role is empty (its fallback),
never a header that looks like it: with only Phone mapped, `{{first_name|there}}` is
"there" even when the file has a "First Name" column, in the preview as in the send.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import not_

from trackly_desktop.core.errors import TemplateError
from trackly_desktop.core.messages.segments import MESSAGE_ID_MACRO

ROLE_FIELDS = ("first_name", "last_name")
_MESSAGE_ID_KEY = "messageid"
_OPEN, _CLOSE = "{{", "}}"
_SQUASH = re.compile(r"[\s_]+")


def field_key(name: str) -> str:
    """How a field name is compared: case, spaces and underscores ignored."""
    return _SQUASH.sub("", name).casefold()


# field key -> role name ("firstname" -> "first_name")
ROLE_KEYS = {field_key(role): role for role in ROLE_FIELDS}


def field_columns(
    columns: Mapping[str, Sequence[str]], roles: Mapping[str, str | None]
) -> dict[str, Sequence[str]]:
    """Field key -> values: each header under its key, then each role field from the
    column `roles` maps it to (role -> header); an unmapped role has no values at all."""
    keyed = {field_key(header): values for header, values in columns.items()}
    for key, role in ROLE_KEYS.items():
        header = roles.get(role)
        if header:
            keyed[key] = columns[header]
        else:
            keyed.pop(key, None)  # an unmapped role is empty, not a lookalike header
    return keyed


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

    def render(
        self, row: Mapping[str, str], roles: Mapping[str, str | None] | None = None
    ) -> str:
        """One row's body (`row`: header -> value), by the same path as every other body.

        `roles` maps a role to its column (the mapping); without it, keys named like a
        role ("first_name") are that role's value.
        """
        if roles is None:
            roles = {role: role for role in ROLE_FIELDS if role in row}
        return self.render_rows({k: (v,) for k, v in row.items()}, roles, 0, 1)[0]

    def render_rows(
        self,
        columns: Mapping[str, Sequence[str]],
        roles: Mapping[str, str | None],
        start: int,
        stop: int,
    ) -> list[str]:
        """The bodies of rows `start` to `stop` of a table given column by column (header
        -> values) under a mapping (`roles`: role -> header)."""
        keyed = field_columns(columns, roles)
        used = {k: keyed[k][start:stop] for k in self.fields_used if k in keyed}
        return self.render_columns(used, stop - start)

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
            elif part.fallback:  # blank cells (nothing once stripped) found in one C pass
                filled = list(column)
                for row in compress(range(count), map(not_, map(str.strip, column))):
                    filled[row] = part.fallback
                pieces.append(filled)
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
