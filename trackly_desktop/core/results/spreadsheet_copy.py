"""Results into a copy of the operator's spreadsheet: their rows and columns, in their order,
plus Status, Reason (plain words), Sent at, Number used and Fix made.

A workbook gets an .xlsx copy, a CSV (or text) file a CSV copy. The original is never
written to: a target that is the original file is refused. Every cell is made inert the
way the failures export does it (`failures_export.csv_safe`; string cells in XLSX), since
a customer's name can start with "=" and every phone number starts with "+".

Rows are matched to the send by their row number in the file, so the copy is made from the
file as it is now; rows that were never part of the send say why (the same check the
Contacts step makes: no number, a bad number, a repeated one...).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.formula_safety import csv_safe
from trackly_desktop.core.journal.failure_codes import UNCERTAIN_REASON, explain_code
from trackly_desktop.core.journal.schema import FAILED, IN_FLIGHT, PENDING, QUEUED, UNCERTAIN

ADDED_COLUMNS = ("Status", "Reason", "Sent at", "Number used", "Fix made")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
STATUS_WORDS = {
    QUEUED: "Sent",
    FAILED: "Not sent",
    UNCERTAIN: "Not sure",
    PENDING: "Not sent yet",
    IN_FLIGHT: "Not sent yet",
}
NOT_SENT_YET_REASON = "This send was stopped before this message went out; resume it from History."
NOT_IN_SEND_REASON = "This row was not part of the send."
FIX_IN_RESULTS = "Number corrected after the first try"
FIX_IN_APP = "Number corrected in the app before sending"


def copy_suffix(source: Path) -> str:
    """.xlsx for a workbook, .csv for a CSV or text file."""
    return ".xlsx" if source.suffix.lower() in WORKBOOK_SUFFIXES else ".csv"


def default_copy_path(source: Path) -> Path:
    """ "customers.xlsx" -> "customers - results.xlsx", beside it."""
    return source.with_name(f"{source.stem} - results{copy_suffix(source)}")


def _local_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _display(e164: str) -> str:
    import phonenumbers  # noqa: PLC0415

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return text.replace("-", " ")


class _FileCheck:
    """The Contacts step's check of the file as it is now: why a row was not in the send,
    and the number each row's cell reads as."""

    def __init__(self, table: object, spec: object) -> None:
        from trackly_desktop.core.contacts.mapping import ColumnMapping  # noqa: PLC0415
        from trackly_desktop.core.recipients.build import build_recipients  # noqa: PLC0415

        try:
            mapping = ColumnMapping.from_dict(dict(spec.mapping))  # type: ignore[attr-defined]
            self._recipients = build_recipients(
                table,  # type: ignore[arg-type]
                mapping,
                spec.template,  # type: ignore[attr-defined]
                spec.country,  # type: ignore[attr-defined]
            )
        except TracklyDesktopError:  # the file changed its columns since the send
            self._recipients = None

    def reason(self, i: int) -> str:
        from trackly_desktop.core.recipients.reasons import describe  # noqa: PLC0415

        found = self._recipients
        if found is None or found.reason[i] is None:
            return NOT_IN_SEND_REASON
        return describe(found.reason[i])

    def e164(self, i: int) -> str | None:
        return None if self._recipients is None else self._recipients.phone[i]


def results_rows(journal_path: Path, campaign_id: int) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the copy: the file's columns plus ADDED_COLUMNS, every row of it."""
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415
    from trackly_desktop.core.reading.spreadsheet import read_table  # noqa: PLC0415

    with Journal(journal_path) as journal:
        spec = journal.spec(campaign_id)
        answered = {row[0]: row for row in journal.row_results(campaign_id)}
    source = Path(spec.source_file)
    if not spec.source_file or not source.exists():
        raise TracklyDesktopError(
            f"The spreadsheet of this send ({source.name or 'unknown'}) is no longer where it "
            "was, so there is nothing to copy the results into. Export the failures instead."
        )
    table = read_table(source, sheet=spec.sheet)
    checked = _FileCheck(table, spec)
    header = [*table.columns, *ADDED_COLUMNS]
    rows: list[list[str]] = []
    frame_rows = table.frame.itertuples(index=False, name=None)
    for i, values in enumerate(frame_rows):
        number = table.row_number(i)
        found = answered.get(number)
        if found is None:
            status, reason, sent_at, used, fix = "Not sent", checked.reason(i), "", "", ""
        else:
            _row, phone, outcome, code, error, edited, finished = found
            status = STATUS_WORDS.get(outcome, outcome)
            if outcome == FAILED:
                reason = explain_code(code or "", error or "")
            elif outcome == UNCERTAIN:
                reason = UNCERTAIN_REASON
            elif outcome in (PENDING, IN_FLIGHT):
                reason = NOT_SENT_YET_REASON
            else:
                reason = ""
            sent_at = _local_time(finished) if outcome == QUEUED else ""
            used = _display(phone)
            if edited:
                fix = FIX_IN_RESULTS
            elif checked.e164(i) not in (None, phone):
                fix = FIX_IN_APP
            else:
                fix = ""
        rows.append([*(str(v) for v in values), status, reason, sent_at, used, fix])
    return header, rows


def write_results_copy(journal_path: Path, campaign_id: int, target: Path) -> Path:
    """Write the copy to `target` (whole or not at all); refuses to overwrite the original."""
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    with Journal(journal_path) as journal:
        source = Path(journal.spec(campaign_id).source_file)
    target = Path(target)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        target = target.with_suffix(copy_suffix(source))
    if source.exists() and target.exists() and os.path.samefile(source, target):
        raise TracklyDesktopError(
            "That is your original spreadsheet: the results go into a copy, so choose "
            "another name."
        )
    header, rows = results_rows(journal_path, campaign_id)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".results-", suffix=target.suffix,
                                        dir=target.parent)  # fmt: skip
        os.close(fd)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    tmp = Path(tmp_name)
    try:
        if target.suffix.lower() == ".csv":
            _write_csv(header, rows, tmp)
        else:
            _write_xlsx(header, rows, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _cannot_write(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _cannot_write(path: Path, exc: OSError) -> TracklyDesktopError:
    reason = exc.strerror or type(exc).__name__
    return TracklyDesktopError(
        f"Could not save the results to “{path}” ({reason}); choose another folder or "
        "close the file if it is open in Excel."
    )


def _write_csv(header: Sequence[str], rows: Iterable[Sequence[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_safe(c) for c in header])
        for row in rows:
            writer.writerow([csv_safe(c) for c in row])


def _write_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]], path: Path) -> None:
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Results")

    def cells(values: Sequence[str]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            # A string cell, never a formula, whatever the text starts with.
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = TYPE_STRING
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    workbook.save(path)
