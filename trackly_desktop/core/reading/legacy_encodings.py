"""Which legacy encoding a text file that is not UTF-8 is in, and its text as UTF-8.

Excel's plain "CSV" is saved in the Windows code page of the PC: Windows-1252 in the
Americas and Western Europe, but 1250 (Central Europe), 1251 (Cyrillic), 1253 (Greek),
1254 (Turkish), Shift-JIS, GB18030 or Big5 elsewhere; older tools write KOI8-R,
ISO-8859-x or Mac Roman. Read in the wrong one, every name turns to mojibake
("Òåëåôîí") and goes out like that in the messages.

Every candidate that decodes the bytes is scored on what the decoded names look like:
letters of one script in each word, the usual letters of names weighing more than rare
ones, upper case only where a word starts, no symbols or control characters inside words.
charset-normalizer's own ranking adds its candidates (it knows the multi-byte Asian
encodings best). Ties go to the more common encoding (Windows-1252 first). When the
best two readings score close and read the names differently, the guess is "unsure":
the window then shows a preview with a chooser, `trackly check` says so.

A file mixing UTF-8 lines and legacy lines (rows pasted from two sources) is read line
by line: each line that is valid UTF-8 as UTF-8, every other line in the legacy
encoding found for those lines.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass

# Candidates in order of how common they are: the earlier wins a tie.
CANDIDATES = (
    "cp1252", "cp1250", "cp1251", "cp1254", "cp1253", "iso8859_15", "iso8859_2", "koi8_r",
    "cp1257", "mac_roman", "cp1255", "cp1256", "cp932", "gb18030", "big5", "cp949",
)  # fmt: skip
LABELS = {
    "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252", "cp1250": "Windows-1250", "cp1251": "Windows-1251",
    "cp1253": "Windows-1253", "cp1254": "Windows-1254", "cp1255": "Windows-1255",
    "cp1256": "Windows-1256", "cp1257": "Windows-1257", "latin_1": "ISO-8859-1",
    "iso8859_2": "ISO-8859-2", "iso8859_5": "ISO-8859-5", "iso8859_7": "ISO-8859-7",
    "iso8859_9": "ISO-8859-9", "iso8859_15": "ISO-8859-15", "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U", "mac_roman": "Mac Roman", "cp932": "Shift-JIS",
    "shift_jis": "Shift-JIS", "euc_jp": "EUC-JP", "gb18030": "GB18030", "gbk": "GB18030",
    "gb2312": "GB18030", "big5": "Big5", "cp950": "Big5", "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
}  # fmt: skip
# What the chooser offers: label -> codec.
CHOICES = {
    "UTF-8": "utf-8", "Windows-1252 (Western European)": "cp1252",
    "Windows-1250 (Central European)": "cp1250", "Windows-1251 (Cyrillic)": "cp1251",
    "Windows-1253 (Greek)": "cp1253", "Windows-1254 (Turkish)": "cp1254",
    "Windows-1257 (Baltic)": "cp1257", "ISO-8859-15 (Western European)": "iso8859_15",
    "ISO-8859-2 (Central European)": "iso8859_2", "KOI8-R (Russian)": "koi8_r",
    "Mac Roman": "mac_roman", "Shift-JIS (Japanese)": "cp932",
    "GB18030 (Chinese, simplified)": "gb18030", "Big5 (Chinese, traditional)": "big5",
    "EUC-KR (Korean)": "cp949", "Windows-1255 (Hebrew)": "cp1255",
    "Windows-1256 (Arabic)": "cp1256",
}  # fmt: skip
_SAMPLE_BYTES = 96 * 1024
_UNSURE_MARGIN = 0.06
_HIGH_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

# Letters that names really use, per alphabet; other letters count less.
_USUAL = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüÿßœšžčďěňřťůýąćęłńśźżőűĺľŕăâîșțşţğıİāēīūķļņģėįų")
_USUAL |= {c.upper() for c in _USUAL if c.upper() != c and len(c.upper()) == 1}
# The accented letters of each language written with Latin letters: a real word keeps
# to one of them ("Dvořák"), a misread one mixes them ("Dvoøák").
_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú", "äöüß", "éëïóöü",
    "åäöæøé", "áðéíóúýþæö", "ąćęłńóśźż", "áčďéěíňóřšťúůýžäĺľôŕ", "áéíóöőúüű", "ăâîșțşţ",
    "čćđšž", "çğıöşüâî", "ąčęėįšųūžāēģīķļņõäöü", "àçèéíïòóúü",
)  # fmt: skip
_MULTIBYTE = frozenset({"cp932", "shift_jis", "euc_jp", "gb18030", "gb2312", "gbk", "big5",
                        "cp950", "cp949", "euc_kr", "johab"})  # fmt: skip
_FINE_SYMBOLS = set("“”‘’–—…€£¥°·«»×¿¡ ©®™§")


def label_of(codec: str) -> str:
    """A person's name for a Python codec ("cp1251" -> "Windows-1251")."""
    name = codecs.lookup(codec).name
    return LABELS.get(name, LABELS.get(codec, name.upper()))


def codec_for(name: str) -> str:
    """The Python codec for an encoding a person named ("windows-1251", "Shift-JIS")."""
    wanted = name.strip()
    for label, codec in CHOICES.items():
        if wanted.casefold() in (label.casefold(), label.split(" (")[0].casefold()):
            return codec
    return codecs.lookup(wanted.replace(" ", "-")).name  # LookupError for unknown names


_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "GREEK", "HEBREW", "ARABIC")


def _script(ch: str) -> str:
    if ch.isascii():
        return "Latin"
    name = unicodedata.name(ch, "")
    for script in _SCRIPTS:
        if name.startswith(script):
            return "CJK" if script in ("HIRAGANA", "KATAKANA") else script
    return "Latin" if "LATIN" in name else name.split(" ")[0] or "?"


def _letter_weight(ch: str, script: str) -> float:
    if script == "Latin":
        return 1.0 if ch in _USUAL else 0.3
    if script == "CJK":
        # Names use the characters of the national standard sets; misread bytes land on
        # the rare ones that only the extensions hold.
        return 1.0 if _in_common_set(ch, ("gb2312", "big5", "shift_jis")) else 0.2
    if script == "HANGUL":
        return 1.0 if _in_common_set(ch, ("euc_kr",)) else 0.2
    if script in ("CYRILLIC", "GREEK", "HEBREW", "ARABIC"):
        return 1.0 if "\u0400" <= ch <= "\u045f" or script != "CYRILLIC" else 0.3
    return 0.1  # Thai, Armenian...: not what a code-page mix-up of names looks like


def _in_common_set(ch: str, codecs_: tuple[str, ...]) -> bool:
    for codec in codecs_:
        try:
            encoded = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        # Python's EUC-KR spells the 8,822 rarer syllables as 8-byte jamo sequences.
        return len(encoded) == 2
    return False


def score_text(text: str) -> float:
    """How much `text` reads like names and words (higher is better), per non-ASCII char."""
    total = 0.0
    count = 0
    latin: list[str] = []
    for ch in text:
        if ch.isascii():
            continue
        count += 1
        if not ch.isalpha():
            category = unicodedata.category(ch)
            if ch in _FINE_SYMBOLS:
                continue
            total -= 5.0 if category[0] == "C" else 2.0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {_script(ch) for ch in word if not ch.isascii() or ch.isalpha()}
        non_ascii = [ch for ch in word if not ch.isascii()]
        if len(scripts) > 1:
            total -= 3.0 * len(non_ascii)
            continue
        script = scripts.pop()
        total += sum(_letter_weight(ch, script) for ch in non_ascii)
        if script not in ("CJK", "HEBREW", "ARABIC") and _odd_case(word):
            total -= 1.5 * len(non_ascii)
        if script == "Latin":
            lower = word.lower()
            accented = [ch for ch in lower if not ch.isascii()]
            latin.extend(accented)
            if len(word) >= 3 and len(accented) * 2 > len(word):
                total -= 1.0 * len(accented)  # "Ïåòðîâ": Latin words are mostly a-z
            if not any(set(accented) <= set(a) for a in _ALPHABETS):
                total -= 1.0 * len(accented)
    per_char = total / max(count, 1)
    if latin:
        # How much of the text one language's letters cover: a tie-break among readings.
        per_char += 0.5 * max(sum(ch in a for ch in latin) for a in _ALPHABETS) / len(latin)
    return per_char


def _odd_case(word: str) -> bool:
    # Names are "Maria", "MARIA" or "maria": upper case after lower case inside a word is
    # what a Cyrillic file read in the wrong Cyrillic code page looks like ("иМЯ").
    # ("McDonald" is fine: only pairs with a non-ASCII letter count; "STRAßE" too.)
    return any(
        a.islower() and b.isupper() and a != "ß" and not (a.isascii() and b.isascii())
        for a, b in itertools.pairwise(word)
    )


@dataclass(frozen=True)
class Guess:
    codec: str
    unsure: bool
    # The other readings worth offering, best first (codec names).
    alternatives: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return label_of(self.codec)


def sample_lines(data: bytes) -> bytes:
    """The lines holding non-ASCII bytes, up to about 96 KB of them: what tells encodings apart."""
    found: list[bytes] = []
    size = 0
    for match in _HIGH_LINE.finditer(data):
        found.append(match.group())
        size += len(match.group()) + 1
        if size >= _SAMPLE_BYTES:
            break
    return b"\n".join(found)


def guess_legacy(data: bytes) -> Guess:
    """The legacy encoding `data` (not valid UTF-8) is most likely in."""
    sample = sample_lines(data)
    if not sample:
        return Guess("cp1252", False)
    candidates = list(CANDIDATES)
    ranking = _normalizer_ranking(sample)
    # A few stray bytes decode as some Chinese character in GB18030 or Big5: trust
    # charset-normalizer's pick of a multi-byte encoding only with enough text to go on.
    enough = sum(b >= 0x80 for b in sample[:4096]) >= 8
    leader = ranking[0] if ranking and enough else None
    for extra in ranking:
        if extra not in candidates:
            candidates.append(extra)
    if not enough:
        candidates = [c for c in candidates if c not in _MULTIBYTE]
    scored: list[tuple[float, int, str, str]] = []
    for order, codec in enumerate(candidates):
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        bonus = 0.3 if codec in _MULTIBYTE and codec == leader else 0.0
        scored.append((score_text(text) + bonus, -order, codec, text))
    if not scored:
        return Guess("cp1252", True)
    scored.sort(reverse=True)
    best_score, _order, best, best_text = scored[0]
    others = [(s, c, t) for s, _o, c, t in scored[1:] if t != best_text]
    unsure = best_score <= 0.2 or bool(
        others and others[0][0] >= best_score - _UNSURE_MARGIN * max(abs(best_score), 1.0)
    )
    return Guess(best, unsure, tuple(c for _s, c, _t in others[:5]))


def _normalizer_ranking(sample: bytes) -> list[str]:
    try:
        from charset_normalizer import from_bytes  # noqa: PLC0415 - only for legacy files
    except ImportError:  # pragma: no cover - a dependency, but never fatal
        return []
    return [match.encoding for match in list(from_bytes(sample[:32768]))[:3]]


def mixed_utf8_lines(data: bytes) -> bool:
    """Whether `data` (not valid UTF-8 as a whole) has lines that are UTF-8 with accents."""
    valid = invalid = 0
    for match in _HIGH_LINE.finditer(data):
        try:
            match.group().decode("utf-8")
        except UnicodeDecodeError:
            invalid += 1
        else:
            valid += 1
        if valid and invalid:
            return True
    return False


def decode_line_by_line(data: bytes, legacy: str) -> str:
    """Each line as UTF-8 when it is, else in `legacy`."""
    lines = data.split(b"\n")
    out: list[str] = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode(legacy, errors="replace"))
    return "\n".join(out)


def legacy_lines(data: bytes) -> bytes:
    """The lines of `data` that are not valid UTF-8, for guessing their encoding."""
    keep: list[bytes] = []
    for match in _HIGH_LINE.finditer(data):
        try:
            match.group().decode("utf-8")
        except UnicodeDecodeError:
            keep.append(match.group())
    return b"\n".join(keep)
