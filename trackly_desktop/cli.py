"""The `trackly` command: check a spreadsheet, send a campaign, run the sandbox, manage the key.

Each subcommand lives in `trackly_desktop.commands.<name>` with two functions,
`add_arguments(parser)` and `run(args) -> int`; modules are imported only when their
subcommand runs, so `trackly sandbox` does not pay for pandas. No Qt here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence

from trackly_desktop import __version__
from trackly_desktop.core.errors import TracklyDesktopError

# name -> one-line help; the module trackly_desktop.commands.<name> does the work.
SUBCOMMANDS: dict[str, str] = {
    "check": "read a spreadsheet, validate every number and render every message, without sending",
    "send": "send a campaign from a spreadsheet (or resume one) through the Trackly API",
    "optouts": "the do-not-text list: list, add, remove, import or export numbers never to text",
    "key": "store or remove your Trackly API key in the system keyring",
    "sandbox": "run the local Trackly sandbox server (nobody receives its messages)",
}

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_BAD_INPUT = 2


def _command_module(name: str):
    return importlib.import_module(f"trackly_desktop.commands.{name}")


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trackly", description="Trackly Desktop command line.")
    parser.add_argument("--version", action="version", version=f"trackly {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Only the chosen subcommand's module is imported to add its arguments.
    chosen = next((a for a in argv if a in SUBCOMMANDS), None)
    for name, summary in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=summary, description=summary)
        if name == chosen:
            _command_module(name).add_arguments(sp)
    return parser


def _utf8_when_redirected() -> None:
    """On Windows, output sent to a file or a pipe would be written in the ANSI code page
    (cp1252): names like "Łukasz" would fail to print and `--json` would not be UTF-8.
    A console keeps Windows' own Unicode output."""
    if sys.platform != "win32":
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not stream.isatty() and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _utf8_when_redirected()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(_command_module(args.command).run(args))
    except TracklyDesktopError as exc:
        print(f"trackly {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"trackly {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`trackly check --json | head`): stop quietly. Point stdout
        # at devnull so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (sqlite3.Error, OSError) as exc:  # after BrokenPipeError, an OSError too
        plain = _storage_fault(exc)
        if plain is None:
            raise
        print(f"trackly {args.command}: {plain}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _storage_fault(exc: BaseException) -> str | None:
    """One sentence for a full disk, a read-only folder or a damaged journal (None for
    other failures, which are bugs and keep their traceback)."""
    from trackly_desktop import paths  # noqa: PLC0415 - error path only
    from trackly_desktop.core.journal.storage import translated  # noqa: PLC0415

    plain = translated(exc, paths.journal_path())
    return None if plain is None else str(plain)


if __name__ == "__main__":
    raise SystemExit(main())
