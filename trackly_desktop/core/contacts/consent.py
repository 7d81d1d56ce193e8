"""The consent column: who in the spreadsheet agreed to texts, and who said no.

A consent column is found by its header, in the languages the other roles know, or by
its content (a column of "subscribed"/"unsubscribed"). Its polarity is part of the
verdict: in an opt-in column ("Accepts SMS Marketing", "SMS consent", "Text OK") "yes"
means the person may be texted; in an opt-out column ("Do Not Text", "Unsubscribed",
"SMS blocked", "STOP") "yes" means they may not. Status words ("subscribed", "opted
out") mean the same in either kind of column.

Email-only consent ("Accepts Email Marketing", "Email Subscription Status") never
decides who gets a text; nor does a column about the consent ("SMS Consent Timestamp",
"Opted out date", "SMS Consent Source").

Each row gets one of: may be texted; `no_consent` (said no, or, in an opt-in column, an
empty cell: no consent recorded, which the operator may choose to include); or
`consent_unreadable` (a value that is neither yes nor no, shown as it is, never guessed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trackly_desktop.core.reading.header_words import header_key, header_words

OPT_IN, OPT_OUT = "opt_in", "opt_out"
POLARITIES = (OPT_IN, OPT_OUT)

# What one cell says, before the column's polarity is applied.
AFFIRMATIVE = "affirmative"  # yes, true, 1, x, ✓ …: "this column's statement holds"
NEGATIVE = "negative"  # no, false, 0 …
GIVEN = "given"  # subscribed, opted in …: consent, whatever the column's polarity
REFUSED = "refused"  # unsubscribed, opted out, never subscribed …: no consent
EMPTY = "empty"
UNREADABLE = "unreadable"

# A row's verdict.
MAY_TEXT = None
NO_CONSENT = "no_consent"  # also in core.reasons
NOT_RECORDED = "not_recorded"  # an empty cell in an opt-in column: no_consent, includable
CONSENT_UNREADABLE = "consent_unreadable"

_AFFIRMATIVE = {
    "yes", "y", "true", "t", "1", "x", "✓", "✔", "☑", "on", "checked", "ok", "okay",
    "si", "sí", "oui", "ja", "j", "sim", "s", "wahr", "vrai", "verdadero", "vero", "1.0",
}  # fmt: skip
_NEGATIVE = {
    "no", "n", "false", "f", "0", "off", "unchecked", "non", "nein", "nao", "não", "nee",
    "falso", "faux", "falsch", "0.0", "✗", "✘", "-",
}  # fmt: skip
# Compared after header_key (lower case, no accents, spaces or punctuation).
_GIVEN = {
    "subscribed", "optedin", "optin", "consented", "consentgiven", "granted", "accepted",
    "allowed", "smsubscribed", "smssubscribed", "suscrito", "abonne", "abonniert",
    "inscrit", "angemeldet", "subscrito", "iscritto", "aangemeld", "confirmed", "active",
}  # fmt: skip
_REFUSED = {
    "unsubscribed", "optedout", "optout", "notsubscribed", "neversubscribed",
    "nonsubscribed", "didnotsubscribe", "declined", "denied", "revoked", "withdrawn",
    "blocked", "stop", "stopped", "suppressed", "pending", "cleaned", "bounced",
    "desuscrito", "dadodebaja", "baja", "desabonne", "desinscrit", "abgemeldet",
    "descadastrado", "disiscritto", "afgemeld", "notoptedin", "noconsent", "refused",
}  # fmt: skip


def read_cell(value: str) -> str:
    """What one consent cell says (AFFIRMATIVE, NEGATIVE, GIVEN, REFUSED, EMPTY, UNREADABLE)."""
    text = value.strip()
    if not text:
        return EMPTY
    folded = text.casefold()
    if folded in _AFFIRMATIVE:
        return AFFIRMATIVE
    if folded in _NEGATIVE:
        return NEGATIVE
    key = header_key(text)
    if key in _GIVEN:
        return GIVEN
    if key in _REFUSED:
        return REFUSED
    return UNREADABLE


def verdict(value: str, polarity: str) -> str | None:
    """None when the row may be texted, else NO_CONSENT, NOT_RECORDED or CONSENT_UNREADABLE."""
    said = read_cell(value)
    if said in (GIVEN, REFUSED):
        return MAY_TEXT if said == GIVEN else NO_CONSENT
    if said == UNREADABLE:
        return CONSENT_UNREADABLE
    if polarity == OPT_IN:
        return {AFFIRMATIVE: MAY_TEXT, NEGATIVE: NO_CONSENT, EMPTY: NOT_RECORDED}[said]
    # Opt-out column: a mark means "do not text"; an empty cell means no opt-out marked.
    return NO_CONSENT if said == AFFIRMATIVE else MAY_TEXT


def verdicts(values: Sequence[str], polarity: str) -> list[str | None]:
    """`verdict` of every value; distinct values are few, so each is read once."""
    seen: dict[str, str | None] = {}
    out: list[str | None] = []
    append = out.append
    for value in values:
        found = seen.get(value, "?")
        if found == "?":
            found = seen[value] = verdict(value, polarity)
        append(found)
    return out


# -- finding the column by its header -----------------------------------------------------

# Words (after header_words) that make a header about texting.
_TEXT_CHANNEL = {
    "sms", "text", "texts", "texting", "textmessage", "textmessages", "mobile", "cell",
    "phone", "handy", "movil", "celular", "telefono", "telephone", "portable", "mms",
    "mensajes", "mensaje", "nachrichten",
}  # fmt: skip
# Another channel: such a header never decides a text (unless it also names texting).
_OTHER_CHANNEL = {
    "email", "emails", "mail", "newsletter", "newsletters", "correo", "courriel",
    "whatsapp", "post", "postal", "directmail", "push", "call", "calls", "calling",
}  # fmt: skip
# About the consent rather than the consent itself ("SMS Consent Timestamp").
_ABOUT_CONSENT = {
    "date", "time", "timestamp", "at", "on", "source", "method", "ip", "version",
    "updated", "collected", "reason", "language", "text2", "by", "fecha", "datum",
    "quelle", "fuente", "level", "type", "count", "id",
}  # fmt: skip
# Squeezed keys (header_key) that say "do not text" and name texting themselves.
_TEXT_OPT_OUT_KEYS = (
    "donottext", "dontext", "donttext", "donotsms", "nosms", "notext", "keinesms",
    "nepasenvoyer", "noenviar", "geensms", "nonsms", "smsblocked", "blocksms",
)  # fmt: skip
# Keys that say "do not contact" without naming a channel: an opt-out column when the
# header also names texting ("SMS Unsubscribed") or is only that ("Opted out", "STOP");
# "Blocked from online booking" is not about texts.
_OPT_OUT_KEYS = (
    "optedout", "optout", "unsubscribed", "unsubscribe", "blocked", "suppressed", "stop",
    "abgemeldet", "desinscrit", "desabonne", "desuscrito", "dadodebaja", "afgemeld",
)  # fmt: skip
# Keys that name consent to texts when the header also names texting.
_OPT_IN_KEYS = (
    "optin", "optedin", "consent", "consentimiento", "consentement", "einwilligung",
    "zustimmung", "consenso", "consentimento", "toestemming", "permission", "permiso",
    "subscribed", "subscription", "subscriber", "accept", "acepta", "akzeptiert",
    "aceita", "accetta", "marketing", "allowed", "status", "suscrito", "abonniert",
    "inscrit", "agree",
)  # fmt: skip
_OPT_IN_WORDS = {"ok", "okay", "allow", "yes", "si", "ja", "oui"}
# Headers that are consent to texts on their own ("Consent", "Opt-in").
_BARE_OPT_IN = {"optin", "optedin", "consent", "subscribed"}


@dataclass(frozen=True)
class ConsentColumn:
    header: str
    polarity: str  # OPT_IN or OPT_OUT
    found_by: str = "header"  # or "content"


def header_polarity(header: str) -> str | None:
    """OPT_IN or OPT_OUT when the header names consent to texts, else None."""
    words = set(header_words(header))
    key = header_key(header)
    if not key or words & _ABOUT_CONSENT:
        return None
    texting = bool(words & _TEXT_CHANNEL) or any(key.startswith(w) for w in ("sms", "text"))
    if words & _OTHER_CHANNEL and not texting:
        return None  # email-only consent never decides who gets a text
    if any(k in key for k in _TEXT_OPT_OUT_KEYS):
        return OPT_OUT
    if key in _OPT_OUT_KEYS or (texting and any(k in key for k in _OPT_OUT_KEYS)):
        return OPT_OUT
    if key in _BARE_OPT_IN:
        return OPT_IN
    if texting and (any(k in key for k in _OPT_IN_KEYS) or words & _OPT_IN_WORDS):
        return OPT_IN
    return None


# A column is taken by content only when nearly all its values are status words.
_CONTENT_MIN_SHARE = 0.9
# A column chosen by header must hold consent values, not something else ("SMS Status":
# delivered/failed): at least this share of its non-empty sample must be readable.
_HEADER_MIN_READABLE = 0.6


def find_consent_column(
    columns: Sequence[str],
    sample: Callable[[str], list[str]] | None,
    taken: set[str] | frozenset[str] = frozenset(),
) -> ConsentColumn | None:
    """The consent column the headers (or, failing them, the content) suggest, or None."""
    candidates: list[tuple[int, int, str, str]] = []
    for position, header in enumerate(columns):
        if header in taken:
            continue
        polarity = header_polarity(header)
        if polarity is None:
            continue
        if sample is not None and not _readable_enough(sample(header)):
            continue
        # An opt-out column wins over an opt-in one: it is the stronger statement.
        candidates.append((0 if polarity == OPT_OUT else 1, position, header, polarity))
    if candidates:
        _, _, header, polarity = min(candidates)
        return ConsentColumn(header, polarity)
    if sample is None:
        return None
    for header in columns:
        if header in taken or _other_channel_header(header):
            continue
        values = sample(header)
        if not values:
            continue
        said = [read_cell(v) for v in values]
        status = sum(s in (GIVEN, REFUSED) for s in said)
        if status / len(values) >= _CONTENT_MIN_SHARE:
            return ConsentColumn(header, OPT_IN, found_by="content")
    return None


def _readable_enough(values: list[str]) -> bool:
    if not values:
        return True  # an empty opt-in column still says "no consent recorded"
    readable = sum(read_cell(v) != UNREADABLE for v in values)
    return readable / len(values) >= _HEADER_MIN_READABLE


def _other_channel_header(header: str) -> bool:
    words = set(header_words(header))
    return bool(words & _OTHER_CHANNEL) and not (words & _TEXT_CHANNEL)


def describe_column(column: ConsentColumn) -> str:
    """What the app understood, in words, for the mapping panel and `trackly check`."""
    if column.polarity == OPT_OUT:
        return (
            f"{column.header}: rows marked yes (or “opted out”) will not be texted; "
            "empty cells are texted."
        )
    return (
        f"{column.header}: rows with “no” will not be texted; empty cells mean no consent "
        "recorded and are not texted unless you include them."
    )
