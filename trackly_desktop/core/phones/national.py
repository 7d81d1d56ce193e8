"""Valid, and a landline? phonenumbers' answer on national numbers, a column at a time.

`is_valid_number` and `number_type` decide a number (country code, national number) by
full matches of the metadata's patterns, in a fixed order:

- the region: for a country code shared by several regions (+1: the US, Canada and 23
  more), the first region, in phonenumbers' order, whose leading digits start the number,
  or failing those (regions without leading digits) whose patterns give it a type;
- the type, in that region: nothing unless the general description matches; then premium
  rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail; then fixed line
  (or "fixed line or mobile" when the mobile pattern matches too), then mobile.

A description only counts when the number's length is one of its possible lengths, so
`NationalRules` is built per (country code, length) with the patterns that can apply, runs
them all over the column at once (`automaton`) and reads the order above off the set of
patterns that matched.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from trackly_desktop.core.phones.automaton import ColumnAutomaton, Unsupported

INVALID, VALID, LANDLINE_NUMBER = 0, 1, 2
# The types `number_type` tries before fixed line and mobile, in its order.
_SPECIAL_TYPES = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail",
)  # fmt: skip

# One region's test: the pattern whose match claims the number for the region (None: the
# region claims it when it finds a type), the general description, then (patterns that
# must all match, outcome) in phonenumbers' order.
_RegionTest = tuple[int | None, int | None, list[tuple[tuple[int, ...], int]]]


def usable_pattern(desc, length: int) -> str | None:
    """The desc's pattern when `_is_number_matching_desc` could accept `length` digits."""
    if desc is None or not desc.national_number_pattern:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    return desc.national_number_pattern


class NationalRules:
    """phonenumbers' verdict on every `length`-digit national number of country `code`."""

    def __init__(self, code: int, length: int) -> None:
        self.code, self.length = code, length
        self._patterns: dict[str, int] = {}
        regions = COUNTRY_CODE_TO_REGION_CODE[code]
        self._regions: list[_RegionTest] = []
        for region in regions:
            meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            if meta is None:
                continue
            claims = None
            if len(regions) > 1 and meta.leading_digits is not None:
                claims = self._id(f"(?:{meta.leading_digits})\\d*")  # `match`: a prefix
            general = usable_pattern(meta.general_desc, length)
            tests = self._types(meta) if general else []
            self._regions.append((claims, self._id(general) if general else None, tests))
        try:
            self._automaton: ColumnAutomaton | None = ColumnAutomaton(list(self._patterns))
        except Unsupported:
            self._automaton = None
        self._outcomes = np.zeros(0, dtype=np.int8)  # automaton state -> outcome

    def _id(self, pattern: str) -> int:
        return self._patterns.setdefault(pattern, len(self._patterns))

    def _types(self, meta: PhoneMetadata) -> list[tuple[tuple[int, ...], int]]:
        length, found = self.length, []
        for name in _SPECIAL_TYPES:
            pattern = usable_pattern(getattr(meta, name), length)
            if pattern:
                found.append(((self._id(pattern),), VALID))
        fixed = usable_pattern(meta.fixed_line, length)
        mobile = usable_pattern(meta.mobile, length)
        if fixed and meta.same_mobile_and_fixed_line_pattern:
            found.append(((self._id(fixed),), VALID))
        elif fixed:
            if mobile:  # fixed line or mobile
                found.append(((self._id(fixed), self._id(mobile)), VALID))
            found.append(((self._id(fixed),), LANDLINE_NUMBER))
        if mobile and not meta.same_mobile_and_fixed_line_pattern:
            found.append(((self._id(mobile),), VALID))
        return found

    def _decide(self, matched: frozenset[int]) -> int:
        single = len(self._regions) == 1
        for claims, general, tests in self._regions:
            if claims is not None and claims not in matched:
                continue
            outcome = INVALID
            if general in matched:
                outcome = next((o for ids, o in tests if matched.issuperset(ids)), INVALID)
            if outcome != INVALID or claims is not None or single:
                return outcome
        return INVALID

    def outcomes(self, nationals: list[str]) -> np.ndarray | None:
        """INVALID, VALID or LANDLINE_NUMBER for each national number (all `length` long);
        None when a pattern is beyond the automaton's syntax (phonenumbers decides)."""
        if self._automaton is None:
            return None
        digits = np.frombuffer("".join(nationals).encode("ascii"), dtype=np.uint8)
        states = self._automaton.run((digits - 48).reshape(len(nationals), self.length))
        if states.max() >= len(self._outcomes):  # -1: a state not decided yet
            grown = np.full(2 * states.max() + 2, -1, dtype=np.int8)
            grown[: len(self._outcomes)] = self._outcomes
            self._outcomes = grown
        found = self._outcomes[states]
        for state in np.unique(states[found < 0]).tolist():
            self._outcomes[state] = self._decide(self._automaton.matched(state))
        return self._outcomes[states]


@cache
def national_rules(code: int, length: int) -> NationalRules:
    return NationalRules(code, length)
