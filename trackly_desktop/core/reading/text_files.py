"""Reading delimited text files (.csv, .tsv, .txt) as text, whatever Excel saved them as.

The whole file (at most MAX_FILE_BYTES) is read once as bytes and turned into UTF-8:
UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text") or without, and
the legacy code page (Excel's plain "CSV") when the bytes are not valid UTF-8: see
`text_encoding`.
The delimiter (`,` `;` tab `|`) is sniffed on the head, then pandas' C engine parses
every cell as a string in chunks of about 1% so progress and Cancel work.

Row numbers: the line a record starts on, counted as a text editor counts lines. When a
quoted cell holds line breaks, the records after it start on later lines, and that is
accounted for.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.progress import CancelToken, ProgressCallback
from trackly_desktop.core.reading.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_CHUNK_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
)
from trackly_desktop.core.reading.text_encoding import TextEncoding, legacy_to_utf8, to_utf8

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 256 * 1024
_CHUNKS = 100
_MORE_FIELDS = re.compile(r"Expected \d+ fields in line (\d+), saw (\d+)")
_LONE_CR = re.compile(rb"\r(?!\n)")
# bytes.count and `in` hold the GIL for their whole run (30-50 ms over a million-row
# file): scan in slices so the window's thread gets a turn between them.
_SCAN_SLICE = 4 * 1024 * 1024
_SEP_HINT = re.compile(r'"?sep=([^\r\n"])"?[ \t]*\r?\n')


def sniff_delimiter(head: str, suffix: str) -> tuple[str, int]:
    """The delimiter whose field count is most consistent over the head, and that count."""
    preferred = list(DELIMITERS)
    if suffix == ".tsv":
        preferred.remove("\t")
        preferred.insert(0, "\t")
    hint = _SEP_HINT.match(head)
    if hint:  # Excel's own "sep=;" first line says it outright
        return hint.group(1), _widest_line(head, hint.group(1))
    best_score = 0
    best: tuple[str, int] | None = None
    for delimiter in preferred:
        if delimiter not in head:
            continue  # one field a row: it would score 0 (parsing 256 KB for that: ~25 ms)
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            continue
        counts = [len(row) for row in rows if "".join(row).strip()]
        if not counts:
            continue
        # Blank rows (",,,") still set the width the parser must be given.
        widest = max(map(len, rows))
        tally = Counter(counts)
        modal = max(tally, key=lambda n: (tally[n], n))
        score = tally[modal] if modal > 1 else 0
        if score > best_score:
            best, best_score = (delimiter, widest), score
    return best or (preferred[0], _widest_line(head, preferred[0]))


def _widest_line(head: str, delimiter: str) -> int:
    try:
        return max(
            (len(row) for row in csv.reader(io.StringIO(head), delimiter=delimiter)), default=1
        )
    except csv.Error:
        return 1


def read_text_grid(
    path: Path,
    data: bytes,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, np.ndarray, TextEncoding]:
    """The file as a text grid: (frame with integer column labels, row numbers, encoding).

    `encoding` names the file's encoding instead of detecting it.
    """
    utf8, found = to_utf8(path, data, encoding)
    del data
    try:
        frame, row_numbers = _grid(path, utf8, progress, cancel)
    except UnicodeDecodeError:
        if found.label != "UTF-8":
            raise
        # Valid UTF-8 at the head, not further on: a legacy code page after all, or
        # lines pasted from two sources.
        utf8, found = legacy_to_utf8(path, utf8)
        frame, row_numbers = _grid(path, utf8, progress, cancel)
    return frame, row_numbers, found


def _count_line_breaks(utf8: bytes) -> int:
    return sum(utf8.count(b"\n", at, at + _SCAN_SLICE) for at in range(0, len(utf8), _SCAN_SLICE))


def _contains(utf8: bytes, needle: bytes) -> bool:
    overlap = len(needle) - 1  # a match may straddle two slices
    return any(
        utf8.find(needle, at, at + _SCAN_SLICE + overlap) >= 0
        for at in range(0, len(utf8), _SCAN_SLICE)
    )


def _grid(
    path: Path, utf8: bytes, progress: ProgressCallback, cancel: CancelToken | None
) -> tuple[pd.DataFrame, np.ndarray]:
    if b"\r" in utf8 and _LONE_CR.search(utf8):
        # Lone CRs (classic Mac line ends, or a mix): make them LFs so the parser, the row
        # numbers and a text editor all count the same lines.
        utf8 = _LONE_CR.sub(b"\n", utf8)
    head = utf8[:_SNIFF_CHARS].decode("utf-8", errors="ignore")
    if len(utf8) > _SNIFF_CHARS and "\n" in head:
        head = head[: head.rindex("\n")]
    delimiter, width = sniff_delimiter(head, path.suffix.lower())
    if width > MAX_COLUMNS:  # before pandas, which would build every column first
        raise too_many_columns(path, width)
    lines = _count_line_breaks(utf8) + (0 if utf8.endswith(b"\n") else 1)
    frame = _parse(
        path,
        utf8,
        delimiter=delimiter,
        width=width,
        lines=lines,
        progress=progress,
        cancel=cancel,
    )
    row_numbers = _row_numbers(frame, lines)
    if lines == len(frame):
        _check_line_lengths(path, utf8, delimiter)
    else:
        _check_cell_lengths(path, frame, row_numbers)
    if _contains(utf8, b'="'):
        frame = _unwrap_excel_text_formulas(frame)
    return frame, row_numbers


def _unwrap_excel_text_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """="0044 20 7946" -> 0044 20 7946: the trick exports use to stop Excel eating zeros."""
    for label in frame.columns:
        values = frame[label].to_numpy(dtype=object)
        wrapped = np.fromiter(
            (len(v) >= 3 and v[0] == "=" and v[1] == '"' and v[-1] == '"' for v in values),
            dtype=bool,
            count=len(values),
        )
        if wrapped.any():
            values = values.copy()
            values[wrapped] = [v[2:-1].replace('""', '"') for v in values[wrapped]]
            frame[label] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def _parse(
    path: Path,
    utf8: bytes,
    *,
    delimiter: str,
    width: int,
    lines: int,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> pd.DataFrame:
    chunk_rows = max(10_000, lines // _CHUNKS)
    for _attempt in range(8):
        try:
            return _parse_chunks(
                path,
                utf8,
                delimiter=delimiter,
                width=width,
                lines=lines,
                chunk_rows=chunk_rows,
                progress=progress,
                cancel=cancel,
            )
        except pd.errors.EmptyDataError:
            return pd.DataFrame(dtype=object)  # only line breaks: reported as empty later
        except pd.errors.ParserError as exc:
            more = _MORE_FIELDS.search(str(exc))
            if more is None:
                raise _unreadable(path, str(exc), utf8, delimiter) from exc
            # A later row has more cells than the head showed: parse again, wider.
            width = int(more.group(2))
            if width > MAX_COLUMNS:
                raise too_many_columns(path, width) from exc
    raise _unreadable(path, "", utf8, delimiter)


def _parse_chunks(
    path: Path,
    utf8: bytes,
    *,
    delimiter: str,
    width: int,
    lines: int,
    chunk_rows: int,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> pd.DataFrame:
    parts: list[pd.DataFrame] = []
    done = 0
    progress(0, lines, "Reading")
    with pd.read_csv(
        io.BytesIO(utf8),
        sep=delimiter,
        header=None,
        names=range(width),
        index_col=False,
        dtype=object,
        na_filter=False,
        keep_default_na=False,
        skip_blank_lines=False,
        quotechar='"',
        doublequote=True,
        engine="c",
        encoding="utf-8",
        chunksize=max(1, min(chunk_rows, MAX_CHUNK_CELLS // max(width, 1))),
    ) as reader:
        for part in reader:
            if cancel is not None:
                cancel.raise_if_cancelled()
            parts.append(part)
            done += len(part)
            if done * len(part.columns) > MAX_CELLS:
                raise too_many_cells(path, len(part.columns))
            if done > MAX_ROWS:
                raise InputFileError(
                    f"{path.name} has more than {MAX_ROWS:,} rows, more than Excel allows: "
                    "split it into smaller files and try again."
                )
            progress(min(done, lines), lines, "Reading")
    # Records spanning lines end the count short of the line total: finish the bar.
    progress(lines, lines, "Reading")
    if not parts:
        return pd.DataFrame(dtype=object)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame.index = pd.RangeIndex(len(frame))
    return frame


def _unreadable(path: Path, detail: str, utf8: bytes, delimiter: str) -> InputFileError:
    if "EOF inside string" in detail:
        record = re.search(r"row (\d+)", detail)
        line = _record_start_line(utf8, delimiter, int(record.group(1))) if record else None
        where = f" (it opens in row {line})" if line else ""
        return InputFileError(
            f'{path.name} has a quote mark (") that is never closed{where}: fix that '
            "cell in a text editor or Excel and try again."
        )
    return InputFileError(
        f"{path.name} could not be read as a table of rows and columns: save it again "
        "from Excel as .csv or .xlsx and try again."
    )


def _record_start_line(utf8: bytes, delimiter: str, record: int) -> int | None:
    """The line where the 0-based `record` starts, counting lines inside quoted cells."""
    reader = csv.reader(io.StringIO(utf8.decode("utf-8", errors="replace")), delimiter=delimiter)
    try:
        for _ in range(record):
            next(reader)
    except (StopIteration, csv.Error):
        return None
    return reader.line_num + 1


def _row_numbers(frame: pd.DataFrame, lines: int) -> np.ndarray:
    count = len(frame)
    if count == lines:
        return np.arange(1, count + 1, dtype=np.int64)
    # Some quoted cells hold line breaks: each record starts after the lines used by the
    # records before it.
    extra = np.zeros(count, dtype=np.int64)
    for label in frame.columns:
        values = frame[label].to_numpy(dtype=object)
        extra += np.fromiter(
            map(str.count, values, itertools.repeat("\n")), dtype=np.int64, count=count
        )
    starts = np.ones(count, dtype=np.int64)
    starts[1:] += np.cumsum(extra[:-1] + 1)
    return starts


def _check_line_lengths(path: Path, utf8: bytes, delimiter: str) -> None:
    # No cell spans lines here, so no cell is longer than its line. A line longer than
    # MAX_CELL_CHARS bytes must cover a whole aligned block of half that size with no line
    # break in it, so finding a break in every such block rules out over-long cells fast.
    block = MAX_CELL_CHARS // 2
    size = len(utf8)
    for start in range(0, size - block + 1, block):
        if utf8.find(b"\n", start, start + block) < 0:
            break
    else:
        return
    newlines = np.flatnonzero(np.frombuffer(utf8, dtype=np.uint8) == 10)
    bounds = np.concatenate(([-1], newlines, [size]))
    lengths = np.diff(bounds) - 1
    for index in np.flatnonzero(lengths >= MAX_CELL_CHARS):
        line = utf8[bounds[index] + 1 : bounds[index + 1]].decode("utf-8", "replace")
        if max(len(cell) for cell in line.split(delimiter)) >= MAX_CELL_CHARS:
            raise cell_too_long(path, int(index) + 1)


def _check_cell_lengths(path: Path, frame: pd.DataFrame, row_numbers: np.ndarray) -> None:
    for label in frame.columns:
        lengths = np.fromiter(map(len, frame[label].to_numpy(dtype=object)), dtype=np.int64)
        if len(lengths) and lengths.max() >= MAX_CELL_CHARS:
            raise cell_too_long(path, int(row_numbers[int(np.argmax(lengths))]))


def too_many_columns(path: Path, width: int) -> InputFileError:
    return InputFileError(
        f"{path.name} has a line of {width:,} columns, more than the {MAX_COLUMNS:,} Excel "
        "allows, so it is not a contact list (or its separators are wrong): save just the "
        "contacts and try again."
    )


def too_many_cells(path: Path, width: int) -> InputFileError:
    return InputFileError(
        f"{path.name} is too big to read: over {MAX_CELLS // width:,} rows of {width} columns. "
        "Save a copy with only the columns you need (phone, names) and try again."
    )


def cell_too_long(path: Path, row: int) -> InputFileError:
    return InputFileError(
        f"{path.name} has a cell of {MAX_CELL_CHARS:,} characters or more in row {row}, "
        "which no contact list needs: remove it and try again."
    )
