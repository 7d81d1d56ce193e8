"""`trackly key set|remove|status`: the Trackly API key in the system keyring.

`set` prompts without echo (or reads one line from standard input when it is not a
terminal, for scripts); the key is never printed. The TRACKLY_API_KEY environment
variable overrides the keyring for every command.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.secrets import ENV_VAR, KeyStore, validate_key_format


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("set", help="store the key (you will be asked for it; it is not shown)")
    sub.add_parser("remove", help="delete the stored key")
    sub.add_parser("status", help="say whether a key is stored, and where")


def _read_key() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Trackly API key (not shown): ")
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise TracklyDesktopError("No key was given; paste it when asked, or pipe it in.")
    return line


def run(args: argparse.Namespace) -> int:
    store = KeyStore()
    if args.action == "set":
        key = validate_key_format(_read_key())
        store.set(key)
        if store.persistent:
            print(f"Key saved in the system keyring ({store.backend_name}).")
        else:
            # The key only lasts for this process: useless for a command, so say it plainly.
            print(
                f"The key could not be saved: {store.fallback_reason}. Set the {ENV_VAR} "
                "environment variable instead.",
                file=sys.stderr,
            )
            return 2
    elif args.action == "remove":
        store.remove()
        if store.persistent:
            print("Key removed from the system keyring.")
        else:
            print(f"Nothing to remove: {store.fallback_reason}.")
    else:
        if not store.persistent:
            print(f"No key stored: {store.fallback_reason}.")
        else:
            where = "stored" if store.get() else "not stored"
            print(f"Key {where} in the system keyring ({store.backend_name}).")
        if os.environ.get(ENV_VAR, "").strip():
            print(f"{ENV_VAR} is set and overrides the keyring.")
    return 0
