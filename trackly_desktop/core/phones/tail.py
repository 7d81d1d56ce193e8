"""Proof that the last digits of a number cannot change phonenumbers' verdict on it.

phonenumbers decides everything about a plain number (digits, maybe a leading "+") with
regular expressions from its metadata, and with lengths:

- whole-number patterns (`fullmatch`: each region's general description, fixed line,
  mobile, ...) on the national number, and the general descriptions also on a few other
  suffixes of the digits while it works out the country code and national prefix;
- start-of-number patterns (`match`: international prefix, national prefix, each region's
  leading digits), which can only read as far as their width.

Reading those expressions with Python's own regex parser we find, for each alternative
of a whole-number pattern, how many of its last characters are "any digit" (`\\d{6}` at
the end: 6), and which first digits it can start with. For a number whose first digits
are its `head` and whose last `k` digits are its `tail`, the verdict cannot depend on the
tail when every alternative that could start with the head ends in at least `k` "any
digit" positions, and every start-of-number pattern ends its reading inside the head.
Then every number with that head and length gets the same verdict, with its own tail at
the end of the E.164. A weaker form covers tails in a class: when the alternatives end in
fixed single characters (`[2-9]\\d{6}`), every tail those allow shares the verdict.

Two uses: `route_head` (how a value is read: country code, where the national number
starts) and `national_tail` (the verdict on a national number). `phone_fastpath` uses
them; tests/unit/test_phones_differential.py checks the result against phonenumbers.
"""

from __future__ import annotations

import re
import re._constants as sre_c
import re._parser as sre_p
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumber
from phonenumbers.phonemetadata import PhoneNumberDesc

UNBOUNDED = 10**6
_DIGITS = "0123456789"
_ANY_DIGIT = frozenset(_DIGITS)


def _char_set(op, av) -> frozenset[str] | None:
    """The digits one single-character item accepts, None if it is not such an item."""
    if op is sre_c.LITERAL:
        return frozenset({chr(av)}) & _ANY_DIGIT
    if op is not sre_c.IN:
        return None
    accepted: set[str] = set()
    negate = False
    for item_op, item_av in av:
        if item_op is sre_c.NEGATE:
            negate = True
        elif item_op is sre_c.LITERAL:
            accepted.add(chr(item_av))
        elif item_op is sre_c.RANGE:
            accepted |= {d for d in _DIGITS if item_av[0] <= ord(d) <= item_av[1]}
        elif item_op is sre_c.CATEGORY and item_av is sre_c.CATEGORY_DIGIT:
            accepted |= _ANY_DIGIT
        else:
            return None  # another category: do not guess
    digits = frozenset(accepted) & _ANY_DIGIT
    return _ANY_DIGIT - digits if negate else digits


def _free(items) -> tuple[int, bool]:
    """(trailing "any digit" positions, whether the whole sequence is exactly that)."""
    free = 0
    for op, av in reversed(list(items)):
        if _char_set(op, av) == _ANY_DIGIT:
            free += 1
            continue
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, high, sub = av
            sub_free, sub_whole = _free(sub)
            if sub_whole and low == high:
                free += sub_free * low
                continue
            # A variable count: only the shortest run is certain to sit at the end.
            return free + (sub_free * low if sub_whole else (sub_free if low else 0)), False
        if op is sre_c.SUBPATTERN:
            sub_free, sub_whole = _free(av[-1])
            if sub_whole:
                free += sub_free
                continue
            return free + sub_free, False
        if op is sre_c.BRANCH:
            results = [_free(branch) for branch in av[1]]
            lengths = {r[0] for r in results}
            if all(r[1] for r in results) and len(lengths) == 1:
                free += lengths.pop()
                continue
            return free + min(r[0] for r in results), False
        return free, False
    return free, True


def _leading_sets(items) -> tuple[frozenset[str], ...]:
    """What each of the first characters must be, as far as single-character items go."""
    sets: list[frozenset[str]] = []
    for op, av in items:
        accepted = _char_set(op, av)
        if accepted is not None:
            sets.append(accepted)
            continue
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, _high, sub = av
            inner = list(sub)
            if len(inner) == 1 and low >= 1 and _char_set(*inner[0]) is not None:
                sets.append(_char_set(*inner[0]))  # type: ignore[arg-type]
        break
    return tuple(sets)


def _peeks(items) -> bool:
    """Does the expression look beyond what it consumes (look-around, anchors, backrefs)?"""
    for op, av in items:
        if op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT, sre_c.GROUPREF, sre_c.GROUPREF_EXISTS):
            return True
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and _peeks(av[2]):
            return True
        if op is sre_c.SUBPATTERN and _peeks(av[-1]):
            return True
        if op is sre_c.BRANCH and any(_peeks(b) for b in av[1]):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Alternative:
    free: int  # trailing "any digit" positions
    starts: tuple[frozenset[str], ...]  # allowed digits at each leading position
    ends: tuple[frozenset[str], ...] = ()  # allowed digits at each of the last positions

    def could_start_with(self, head: str) -> bool:
        return all(c in allowed for c, allowed in zip(head, self.starts, strict=False))


_MAX_ALTERNATIVES = 4096


def _expand(items: list) -> list[list]:
    r"""Spell out the alternatives hidden in a sequence: `5(?:2|3)\d` -> `52\d`, `53\d`.

    Python's parser factors common prefixes out of alternations, so a pattern's real
    alternatives sit inside groups; the first group or alternation after the leading
    single characters is opened up, recursively, within a budget (past it, the sequence
    is kept whole, which is only less precise, never wrong).
    """
    for index, (op, av) in enumerate(items):
        if _char_set(op, av) is not None:
            continue
        if op is sre_c.BRANCH:
            options = [list(b) for b in av[1]]
        elif op is sre_c.SUBPATTERN:
            options = [list(av[-1])]
        else:
            return [items]
        expanded: list[list] = []
        for option in options:
            expanded.extend(_expand(items[:index] + option + items[index + 1 :]))
            if len(expanded) > _MAX_ALTERNATIVES:
                return [items]
        return expanded
    return [items]


@cache
def alternatives(pattern: str) -> tuple[Alternative, ...]:
    """The alternatives of a whole-number pattern, each with its free tail and first digits."""
    parsed = sre_p.parse(pattern)
    if _peeks(parsed):
        return (Alternative(0, ()),)  # a look-ahead could read the tail from anywhere
    return tuple(
        Alternative(_free(o)[0], _leading_sets(o), _trailing_sets(o)) for o in _expand(list(parsed))
    )


_MAX_ENDS = 9


def _trailing_sets(items) -> tuple[frozenset[str], ...]:
    """What each of the last characters must be, as far as single characters reach back.

    Only a run of single-character items (and fixed repeats of one) counts: then a match
    splits exactly there, and the rest of the expression sees only the characters before.
    """
    sets: list[frozenset[str]] = []
    for op, av in reversed(list(items)):
        accepted = _char_set(op, av)
        if accepted is not None:
            sets.append(accepted)
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] == av[1]:
            inner = list(av[2])
            single = _char_set(*inner[0]) if len(inner) == 1 else None
            if single is None:
                break
            sets.extend([single] * av[0])
        else:
            break
        if len(sets) >= _MAX_ENDS:
            break
    return tuple(reversed(sets[:_MAX_ENDS]))


@cache
def _by_first_digit(pattern: str) -> dict[str, tuple[Alternative, ...]]:
    """The alternatives that could start with each digit (most patterns list area codes)."""
    found = alternatives(pattern)
    return {d: tuple(a for a in found if not a.starts or d in a.starts[0]) for d in "0123456789"}


def _candidates(pattern: str, head: str) -> tuple[Alternative, ...]:
    return _by_first_digit(pattern).get(head[0], ()) if head else alternatives(pattern)


@lru_cache(maxsize=1 << 16)
def tail_free(pattern: str | None, head: str, tail: int) -> bool:
    """Is `fullmatch(pattern, head + t)` the same for every `tail`-digit string t?"""
    if not pattern:
        return True
    return all(
        a.could_start_with(head) is False for a in _candidates(pattern, head) if a.free < tail
    )


@lru_cache(maxsize=1 << 16)
def tail_class(pattern: str | None, head: str, tail: int) -> tuple[frozenset[str], ...] | None:
    """The tails t for which `fullmatch(pattern, head + t)` is the same: position by position
    the digits allowed (None when that cannot be shown).

    Each alternative that could start with `head` either ends in `tail` "any digit"
    positions, or ends in `tail` single characters; it then matches `head + t` exactly
    when its front matches `head` (the same for every t) and t fits those characters.
    So for every t in the intersection of those characters, each alternative gives the
    same answer as for any other such t.
    """
    allowed = list(any_tail(tail))
    constrained = False
    for alternative in _candidates(pattern, head) if pattern else ():
        if alternative.free >= tail or not alternative.could_start_with(head):
            continue
        if len(alternative.ends) < tail:
            return None
        constrained = True
        for i, digits in enumerate(alternative.ends[-tail:]):
            allowed[i] = allowed[i] & digits
    return tuple(allowed) if constrained else any_tail(tail)


@cache
def any_tail(tail: int) -> tuple[frozenset[str], ...]:
    """The class of every `tail`-digit string (one shared object per length)."""
    return (_ANY_DIGIT,) * tail


@cache
def window(pattern: str | None) -> int:
    """How many leading characters a `match` of `pattern` can read (0 for no pattern)."""
    if not pattern:
        return 0
    parsed = sre_p.parse(pattern)
    if _peeks(parsed):
        return UNBOUNDED
    return min(parsed.getwidth()[1], UNBOUNDED)


def _descs(metadata: PhoneMetadata) -> tuple[str, ...]:
    return tuple(
        v.national_number_pattern
        for v in vars(metadata).values()
        if isinstance(v, PhoneNumberDesc) and v.national_number_pattern
    )


@cache
def _region_patterns(code: int, region: str) -> tuple[str, ...]:
    meta = _metadata(code, region)
    return _descs(meta) if meta is not None else ()


@cache
def _metadata(code: int, region: str) -> PhoneMetadata | None:
    return PhoneMetadata.metadata_for_region_or_calling_code(code, region)


@cache
def candidate_tails(country: str) -> tuple[int, ...]:
    """Tail lengths worth trying for numbers of `country`, longest first."""
    meta = PhoneMetadata.metadata_for_region(country)
    if meta is None:
        return ()
    frees = {a.free for p in _descs(meta) for a in alternatives(p)}
    # The longest few the patterns suggest, and short ones that often hold where long ones
    # cannot (national prefixes read several digits in some countries).
    longest = sorted((f for f in frees if 5 <= f <= 8), reverse=True)[:3]
    return (*longest, 4, 3)


class TailRules:
    """For one default country: may numbers differing only in their last digits share a verdict?"""

    def __init__(self, country: str) -> None:
        self.country = country
        self._meta = PhoneMetadata.metadata_for_region(country)
        self.candidates = candidate_tails(country)

    def _routing_window(self, plus: str, digits: str) -> int:
        """How many leading digits decide how the country code and national prefix are read."""
        meta = self._meta
        if meta is None or meta.national_prefix_transform_rule:
            return UNBOUNDED
        if plus:
            return 3  # up to three digits of country code
        idd = window(meta.international_prefix)
        if meta.international_prefix and re.match(meta.international_prefix, digits):
            idd += 1 + 3  # then its "not 0" check and up to three digits of country code
        # Whether the IDD matches at all is decided within its own window, which the caller
        # keeps inside the head, so a number without one never reads the country code part.
        prefix = window(meta.national_prefix_for_parsing)
        return max(idd, len(str(meta.country_code)) + prefix, prefix)

    def route_head(self, plus: str, digits: str, number: PhoneNumber) -> int:
        """The shortest head that decides how values like `digits` are read (0: none proven).

        Every plain value with `plus`, as many digits and the same first `head` digits is
        read by phonenumbers as the same country code with its own digits from the same
        position on as the national number. `number` is phonenumbers' parse of `plus + digits`.
        """
        code = number.country_code
        main_meta = _metadata(code, phonenumbers.region_code_for_country_code(code))
        if self._meta is None or main_meta is None or main_meta.national_prefix_transform_rule:
            return 0
        nsn = phonenumbers.national_significant_number(number)
        if not digits.endswith(nsn):
            return 0  # digits were rewritten on the way
        start = len(digits) - len(nsn)
        # Everything read from the start: prefixes are stripped before the national number.
        reach = max(
            self._routing_window(plus, digits),
            start + window(main_meta.national_prefix_for_parsing),
            start + window(self._meta.national_prefix_for_parsing),
        )
        general = {
            self._meta.general_desc.national_number_pattern,
            main_meta.general_desc.national_number_pattern,
        }
        # Where general descriptions are tried: on the digits after the "+", IDD or country
        # code (at most `prefix` digits in), and again after a national prefix.
        meta = self._meta
        idd = None if plus else re.match(meta.international_prefix or "(?!)", digits)
        if plus or idd:
            # The country code's length is decided by its first digits, inside the head.
            prefix = (idd.end() if idd else 0) + len(str(code))
        else:
            prefix = len(str(meta.country_code))
        national = max(
            window(meta.national_prefix_for_parsing), window(main_meta.national_prefix_for_parsing)
        )
        offsets = prefix + national
        for head in range(max(reach, 1), len(digits)):
            if nsn[0] == "0" and not digits[start:head].strip("0"):
                continue  # the count of leading zeros could reach into the tail
            tail = len(digits) - head
            # General descriptions are tried on the digits and on suffixes while parsing.
            if all(
                tail_free(p, digits[offset:head], tail)
                for p in general
                for offset in range(0, min(head, offsets) + 1)
            ):
                return head
        return 0

    def national_tail(
        self, number: PhoneNumber, found: str | None = None
    ) -> tuple[int, tuple[frozenset[str], ...] | None]:
        """The longest tail of the national number its verdict depends on only through a class.

        Returns (tail length, allowed digits per tail position, None when any digits go):
        every number with the same country code, a national number of the same length and
        first digits, and a tail in the class gets the same verdict (with its own tail in
        the E.164). (0, None) when nothing could be shown. `found` is the number's region
        when the caller already looked it up.
        """
        code = number.country_code
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
        nsn = phonenumbers.national_significant_number(number)
        if found is None:
            found = phonenumbers.region_code_for_number(number)
        searched = list(regions)
        if found is not None and found in regions:
            searched = searched[: searched.index(found) + 1]
        metas = [m for m in (_metadata(code, r) for r in searched) if m is not None]
        reach = max((window(m.leading_digits) for m in metas), default=0)
        types = [p for r in searched for p in _region_patterns(code, r)]
        for tail in _with_longer(candidate_tails_for_code(code, self)):
            head = len(nsn) - tail
            if head < max(reach, 1):
                continue
            if nsn[0] == "0" and not nsn[:head].strip("0"):
                continue  # the count of leading zeros could reach into the tail
            allowed = [_ANY_DIGIT] * tail
            for pattern in types:
                found_class = tail_class(pattern, nsn[:head], tail)
                if found_class is None:
                    break
                if found_class is not any_tail(tail):
                    allowed = [a & b for a, b in zip(allowed, found_class, strict=True)]
            else:
                if all(c in a for c, a in zip(nsn[head:], allowed, strict=True)):
                    if all(a == _ANY_DIGIT for a in allowed):
                        return tail, None
                    return tail, tuple(allowed)
        return 0, None


def _with_longer(tails: tuple[int, ...]) -> tuple[int, ...]:
    """The candidate tails plus one or two longer ones, worth trying with a class."""
    if not tails:
        return tails
    return tuple(sorted({*tails, tails[0] + 1, tails[0] + 2}, reverse=True))


def candidate_tails_for_code(code: int, rules: TailRules) -> tuple[int, ...]:
    """Tail lengths to try for national numbers of a country code, longest first."""
    return candidate_tails(phonenumbers.region_code_for_country_code(code)) or rules.candidates


@cache
def tail_rules_for(country: str) -> TailRules:
    return TailRules(country)
