"""Automata that run a set of phonenumbers' patterns over a whole column of digit strings.

phonenumbers' number patterns are written in a small part of regex syntax: digits, `\\d`,
classes like `[2-9]` or `[^0]`, groups `(...)`/`(?:...)`, `|`, and the repeats `?`, `*`,
`+`, `{n}`, `{n,m}`. `_Parser` reads exactly that (anything else raises `Unsupported`, and
the caller uses Python's `re` instead) into an automaton over the digits 0-9 with one
accepting state per pattern. `ColumnAutomaton.run` then steps a whole column of
equal-length digit strings at once with numpy: one table lookup per digit position for
every row together. Its states are built as rows first reach them, so only the states a
column uses are ever built: a few hundred for a national list.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_ALL = (1 << 10) - 1  # a set of digits as a 10-bit mask


class Unsupported(ValueError):  # noqa: N818 - a verdict on a pattern, not an error to report
    """The pattern uses syntax outside the subset `_Parser` reads."""


class _Nfa:
    """States with digit-mask edges and empty edges; state 0 is the start."""

    def __init__(self) -> None:
        self.edges: list[list[tuple[int, int]]] = [[]]  # state -> [(mask, target)]
        self.empty: list[list[int]] = [[]]

    def state(self) -> int:
        self.edges.append([])
        self.empty.append([])
        return len(self.edges) - 1


class _Parser:
    """Recursive descent over one pattern, adding its states to a shared `_Nfa`."""

    def __init__(self, nfa: _Nfa, pattern: str) -> None:
        self.nfa, self.text, self.at = nfa, pattern, 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self, expected: str | None = None) -> str:
        char = self.peek()
        if not char or (expected is not None and char != expected):
            raise Unsupported(self.text)
        self.at += 1
        return char

    def compile(self, start: int) -> int:
        """Add the whole pattern after `start`; the state reached at its end."""
        end = self.alternation(start)
        if self.at != len(self.text):
            raise Unsupported(self.text)
        return end

    def alternation(self, start: int) -> int:
        end = self.nfa.state()
        while True:
            self.nfa.empty[self.sequence(start)].append(end)
            if self.peek() != "|":
                return end
            self.take()

    def sequence(self, start: int) -> int:
        while self.peek() not in ("", "|", ")"):
            start = self.repeat(start)
        return start

    def repeat(self, start: int) -> int:
        mark, detached = self.at, self.nfa.state()
        end = self.atom(detached)
        body = self.text[mark : self.at]
        low, high = self.bounds()
        if (low, high) == (1, 1):
            self.nfa.empty[start].append(detached)
            return end
        finish = self.at  # the atom is read again for each copy, then the repeat skipped
        current = start
        for _ in range(low):
            current = self._copy(current, body)
        if high is None:  # any number more: a loop back to where the last copy starts
            loop = self.nfa.state()
            self.nfa.empty[current].append(loop)
            self.nfa.empty[self._copy(loop, body)].append(loop)
            current = loop
        else:
            end = self.nfa.state()
            self.nfa.empty[current].append(end)
            for _ in range(high - low):
                current = self._copy(current, body)
                self.nfa.empty[current].append(end)
            current = end
        self.at = finish
        return current

    def _copy(self, start: int, body: str) -> int:
        return _Parser(self.nfa, body).atom_only(start)

    def atom_only(self, start: int) -> int:
        end = self.atom(start)
        if self.at != len(self.text):
            raise Unsupported(self.text)
        return end

    def bounds(self) -> tuple[int, int | None]:
        char = self.peek()
        if char in ("?", "*", "+"):
            self.take()
            found = {"?": (0, 1), "*": (0, None), "+": (1, None)}[char]
        elif char == "{":
            self.take()
            spec = ""
            while self.peek() != "}":
                spec += self.take()
            self.take("}")
            low, comma, high = spec.partition(",")
            if not low.isdigit() or (high and not high.isdigit()):
                raise Unsupported(self.text)
            found = (int(low), int(high) if high else (None if comma else int(low)))
        else:
            return 1, 1
        if self.peek() in ("?", "+"):  # lazy or possessive: the same strings match
            raise Unsupported(self.text)
        return found

    def atom(self, start: int) -> int:
        char = self.take()
        if char == "(":
            if self.peek() == "?":
                self.take()
                self.take(":")
            end = self.alternation(start)
            self.take(")")
            return end
        if char == "[":
            mask = self.char_class()
        elif char == "\\":
            self.take("d")
            mask = _ALL
        elif char.isdigit() and char.isascii():
            mask = 1 << int(char)
        else:
            raise Unsupported(self.text)
        end = self.nfa.state()
        self.nfa.edges[start].append((mask, end))
        return end

    def char_class(self) -> int:
        negate = self.peek() == "^"
        if negate:
            self.take()
        mask = 0
        while self.peek() != "]":
            char = self.take()
            if char == "\\":
                self.take("d")
                mask |= _ALL
                continue
            if not (char.isdigit() and char.isascii()):
                raise Unsupported(self.text)
            last = char
            if self.peek() == "-":
                self.take()
                last = self.take()
                if not (last.isdigit() and last.isascii()):
                    raise Unsupported(self.text)
            for digit in range(int(char), int(last) + 1):
                mask |= 1 << digit
        self.take("]")
        return _ALL & ~mask if negate else mask


class ColumnAutomaton:
    """Which of `patterns` fully match each of many digit strings, all rows at once."""

    def __init__(self, patterns: Sequence[str]) -> None:
        nfa = _Nfa()
        self._accepting: list[int] = []
        for pattern in patterns:
            start = nfa.state()
            nfa.empty[0].append(start)
            self._accepting.append(_Parser(nfa, pattern).compile(start))
        self._nfa = nfa
        self._ids: dict[frozenset[int], int] = {}
        self._sets: list[frozenset[int]] = []
        self._table = np.full(640, -1, dtype=np.int32)  # state * 10 + digit -> next state
        self.start = self._intern(self._closed({0}))

    def _closed(self, states: set[int]) -> frozenset[int]:
        todo = list(states)
        while todo:
            for target in self._nfa.empty[todo.pop()]:
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
                grown = np.full(2 * len(self._table), -1, dtype=np.int32)
                grown[: len(self._table)] = self._table
                self._table = grown
        return found

    def _step(self, state: int, digit: int) -> int:
        bit = 1 << digit
        edges = self._nfa.edges
        reached = {t for s in self._sets[state] for mask, t in edges[s] if mask & bit}
        return self._intern(self._closed(reached))

    def run(self, digits: np.ndarray) -> np.ndarray:
        """The final state for each row of `digits` (rows x positions, values 0-9)."""
        state = np.full(len(digits), self.start, dtype=np.int32)
        for position in range(digits.shape[1]):
            index = state * 10 + digits[:, position]
            following = self._table[index]
            missing = following < 0
            if missing.any():
                for key in np.unique(index[missing]).tolist():
                    target = self._step(*divmod(key, 10))
                    self._table[key] = target
                following = self._table[index]
            state = following
        return state

    def matched(self, state: int) -> frozenset[int]:
        """The indexes of the patterns that fully match the strings ending in `state`."""
        reached = self._sets[state]
        return frozenset(i for i, accept in enumerate(self._accepting) if accept in reached)


def first_digits(pattern: str | None) -> frozenset[str]:
    """The digits a `re.match` of `pattern` can start with: every digit when it may match
    the empty string or uses syntax `_Parser` does not read, none for no pattern."""
    if not pattern:
        return frozenset()
    try:
        automaton = ColumnAutomaton([pattern])
    except Unsupported:
        return frozenset("0123456789")
    if automaton.matched(automaton.start):
        return frozenset("0123456789")
    dead = automaton._intern(frozenset())
    return frozenset(str(d) for d in range(10) if automaton._step(automaton.start, d) != dead)
