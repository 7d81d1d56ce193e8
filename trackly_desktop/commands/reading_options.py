"""How a spreadsheet is read on the command line: `--sheet`-independent options that
`trackly check` and `trackly send` share (`--header-row`, `--encoding`), and the read."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from trackly_desktop.core.errors import TracklyDesktopError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="the spreadsheet row holding the column names (0: the file has none)",
    )
    parser.add_argument(
        "--encoding", help="the text file's encoding, e.g. windows-1251 (default: detected)"
    )


def read_table(path: Path, args: argparse.Namespace) -> Any:
    """The sheet `args` name, read as `--header-row` and `--encoding` say (or as found)."""
    from trackly_desktop.core.reading.spreadsheet import read_table as read  # noqa: PLC0415

    if args.header_row is not None and args.header_row < 0:
        raise TracklyDesktopError("--header-row is a row number: 1 or more, or 0 for none.")
    return read(path, sheet=args.sheet, header_row=args.header_row, encoding=args.encoding)
