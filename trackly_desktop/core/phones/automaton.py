"""Automata that run a set of phonenumbers' patterns over a whole column of digit strings.

phonenumbers' number patterns use a small part of regex syntax: digits, `\\d`, classes
like `[2-9]` or `[^0]`, groups `(...)`/`(?:...)`, `|`, and the greedy repeats `?`, `*`,
`+`, `{n}`, `{n,m}`. `_parse` reads exactly that (anything else raises `Unsupported`, and
the caller lets phonenumbers decide) into a tree, built into one automaton over the digits
0-9 with an accepting state per pattern. `ColumnAutomaton.run` steps a whole column of
equal-length digit strings with numpy, one table lookup per digit position for every row
together; its deterministic states are built as rows first reach them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import product

import numpy as np

_ALL = (1 << 10) - 1  # a set of digits as a 10-bit mask
_TOKEN = re.compile(r"\[\^?(?:\\d|\d(?:-\d)?)+\]|\\d|\(\?:|[()|?*+]|\{\d+(?:,\d*)?\}|\d")
_QUANTIFIER = re.compile(r"[?*+]|\{(\d+)(,?)(\d*)\}")


class Unsupported(ValueError):  # noqa: N818 - a verdict on a pattern, not an error to report
    """The pattern uses syntax outside the subset `_parse` reads."""


def _mask(token: str) -> int:
    if token == "\\d":
        return _ALL
    if not token.startswith("["):
        return 1 << int(token)
    mask = 0
    for part in re.findall(r"\\d|\d-\d|\d", token):
        low, high = (0, 9) if part == "\\d" else (int(part[0]), int(part[-1]))
        mask |= ((1 << (high + 1)) - 1) & ~((1 << low) - 1)
    return _ALL & ~mask if token[1] == "^" else mask


def _parse(pattern: str) -> tuple:
    """The pattern as a tree: ("set", digit mask), ("cat", parts), ("alt", branches) or
    ("rep", part, least, most or None)."""
    tokens, at = [], 0
    while at < len(pattern):
        found = _TOKEN.match(pattern, at)
        if found is None:
            raise Unsupported(pattern)
        tokens.append(found.group())
        at = found.end()
    tokens.append("")

    def alternation(at: int) -> tuple[tuple, int]:
        branches = []
        while True:
            parts = []
            while tokens[at] not in ("", "|", ")"):
                part, at = atom(at)
                quantifier = _QUANTIFIER.fullmatch(tokens[at])
                if quantifier:
                    at += 1
                    low, comma, high = quantifier.groups(default="")
                    bounds = {"?": (0, 1), "*": (0, None), "+": (1, None)}.get(tokens[at - 1])
                    if bounds is None:
                        bounds = int(low), int(high) if high else (None if comma else int(low))
                    part = ("rep", part, *bounds)
                    if _QUANTIFIER.fullmatch(tokens[at]):  # lazy or possessive
                        raise Unsupported(pattern)
                parts.append(part)
            branches.append(("cat", parts))
            if tokens[at] != "|":
                return ("alt", branches), at
            at += 1

    def atom(at: int) -> tuple[tuple, int]:
        if tokens[at] in ("(", "(?:"):
            inner, at = alternation(at + 1)
            if tokens[at] != ")":
                raise Unsupported(pattern)
            return inner, at + 1
        if _QUANTIFIER.fullmatch(tokens[at]) or not tokens[at]:
            raise Unsupported(pattern)
        return ("set", _mask(tokens[at])), at + 1

    tree, at = alternation(0)
    if tokens[at]:  # a ")" never opened
        raise Unsupported(pattern)
    return tree


class ColumnAutomaton:
    """Which of `patterns` fully match each of many digit strings, all rows at once."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._edges: list[list[tuple[int, int]]] = [[]]  # state -> [(digit mask, target)]
        self._empty: list[list[int]] = [[]]  # state -> targets without a digit; 0 starts
        self._accepting = [self._build(_parse(p), self._state(0)) for p in patterns]
        self._ids: dict[frozenset[int], int] = {}
        self._sets: list[frozenset[int]] = []  # deterministic state -> its states above
        self._table = np.full(640, -1, dtype=np.int32)  # state * 10 + digit -> next state
        self.start = self._intern(self._closed({0}))

    def _state(self, after: int | None = None) -> int:
        """A new state, reached from `after` without a digit when given."""
        self._edges.append([])
        self._empty.append([])
        if after is not None:
            self._empty[after].append(len(self._edges) - 1)
        return len(self._edges) - 1

    def _build(self, node: tuple, start: int) -> int:
        """Add `node` after `start` (a state only left forward); the state at its end."""
        kind = node[0]
        if kind == "set":
            end = self._state()
            self._edges[start].append((node[1], end))
            return end
        if kind == "cat":
            for part in node[1]:
                start = self._build(part, start)
            return start
        if kind == "alt":
            end = self._state()
            for branch in node[1]:
                self._empty[self._build(branch, start)].append(end)
            return end
        _, part, low, high = node
        for _ in range(low):
            start = self._build(part, start)
        end = self._state(start)
        if high is None:  # any number more: round a loop of its own
            self._empty[self._build(part, end)].append(end)
        for _ in range((high or low) - low):
            start = self._build(part, start)
            self._empty[start].append(end)
        return end

    def _closed(self, states: set[int]) -> frozenset[int]:
        todo = list(states)
        while todo:
            for target in self._empty[todo.pop()]:
                if target not in states:
                    states.add(target)
                    todo.append(target)
        return frozenset(states)

    def _intern(self, states: frozenset[int]) -> int:
        found = self._ids.get(states)
        if found is None:
            found = self._ids[states] = len(self._sets)
            self._sets.append(states)
            if len(self._table) < 10 * len(self._sets):
                self._table = np.concatenate([self._table, np.full_like(self._table, -1)])
        return found

    def step(self, state: int, digit: int) -> int:
        bit = 1 << digit
        reached = {t for s in self._sets[state] for mask, t in self._edges[s] if mask & bit}
        return self._intern(self._closed(reached))

    def run(self, digits: np.ndarray) -> np.ndarray:
        """The final state for each row of `digits` (rows x positions, values 0-9)."""
        state = np.full(len(digits), self.start, dtype=np.int32)
        for position in range(digits.shape[1]):
            index = state * 10 + digits[:, position]
            state = self._table[index]
            if (state < 0).any():  # states no row reached before
                for key in np.unique(index[state < 0]).tolist():
                    self._table[key] = self.step(*divmod(key, 10))
                state = self._table[index]
        return state

    def matched(self, state: int) -> frozenset[int]:
        """The indexes of the patterns that fully match the strings ending in `state`."""
        reached = self._sets[state]
        return frozenset(i for i, accept in enumerate(self._accepting) if accept in reached)


def first_digits(pattern: str | None, length: int = 1) -> frozenset[str]:
    """The first `length` digits a `re.match` of `pattern` can start with: all of them when
    it may match "" or uses syntax `_parse` does not read, all after a shorter match, none
    for no pattern. An end anchor is dropped (more strings match: no start is missed)."""
    if not pattern:
        return frozenset()
    every = {"".join(digits) for digits in product("0123456789", repeat=length)}
    try:
        automaton = ColumnAutomaton([pattern.replace("$", "")])
    except Unsupported:
        return frozenset(every)
    dead, found, paths = automaton._intern(frozenset()), set(), [(automaton.start, "")]
    while paths:
        state, start = paths.pop()
        if automaton.matched(state) or len(start) == length:  # then any digits may follow
            found.update(s for s in every if s.startswith(start))
        else:
            reached = ((automaton.step(state, d), start + str(d)) for d in range(10))
            paths += [path for path in reached if path[0] != dead]
    return frozenset(found)
