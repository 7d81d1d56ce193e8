"""Trim the ICU data library that PySide6 ships on Linux (libicudata, 30 MiB of 190).

Qt links only three corners of ICU: converters (ucnv_*), the collator (ucol_*) and
calendar/time-zone names (ucal_*) (`nm -D --undefined-only libQt6*.so.6`). The data that
only ICU's formatting, break iteration, transliteration and display-name APIs read is cut,
and so are the legacy converters (Qt's own UTF-8/16/32 and Latin-1 codecs need none) and
the collation and zone-name tables of locales other than root and English (a collator for
another locale falls back to root's order). The app's text is English.

The library is rebuilt as ICU's own packaging does it: the common data file, trimmed with
`icupkg` (Debian's icu-devtools), exported again as the icudtNN_dat symbol (gcc).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

DROPPED_FOLDERS = frozenset({"brkitr", "unit", "curr", "lang", "region", "translit", "rbnf"})
_SHARED = frozenset({"root.res", "pool.res", "res_index.res"})


def item_is_kept(item: str) -> bool:
    """Whether an item of ICU's common data (as `icupkg -l` names it) stays."""
    folder, _, leaf = item.rpartition("/")
    if not folder:
        return not leaf.endswith(".cnv")
    if folder in DROPPED_FOLDERS:
        return False
    if folder in ("coll", "zone"):
        locale = leaf.removesuffix(".res").split("_")[0]
        return leaf in _SHARED or leaf.endswith(".icu") or locale == "en"
    return True


def _readelf(*args: str) -> str:
    command = ["readelf", "-W", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _data_symbol(library: Path) -> tuple[str, int, int, str] | None:
    """(symbol, file offset, size, soname) of the library's icudtNN_dat, or None."""
    symbol = re.search(
        r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+(\d+)\s+(icudt\d+_dat)\b",
        _readelf("--dyn-syms", str(library)),
    )
    soname = re.search(r"\(SONAME\)\s+Library soname: \[(.+?)\]", _readelf("-d", str(library)))
    if symbol is None or soname is None:
        return None
    section = re.search(
        rf"\[\s*{symbol[3]}\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s",
        _readelf("-S", str(library)),
    )
    if section is None:
        return None
    offset = int(symbol[1], 16) - int(section[1], 16) + int(section[2], 16)
    return symbol[4], offset, int(symbol[2], 0), soname[1]


def trim(bundle_dir: str) -> str | None:
    """Rebuild the bundle's libicudata with the kept items only; a line for the build log
    (None when the bundle has no ICU data library)."""
    libraries = [p for p in Path(bundle_dir).rglob("libicudata.so.*") if not p.is_symlink()]
    if not libraries:
        return None
    if shutil.which("icupkg") is None or shutil.which("gcc") is None:
        return "WARNING: ICU data not trimmed (apt-get install icu-devtools gcc)"
    (library,) = libraries
    found = _data_symbol(library)
    if found is None:
        return f"WARNING: ICU data not trimmed ({library.name} has no icudt*_dat symbol)"
    symbol, offset, size, soname = found
    before = library.stat().st_size
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # icupkg wants the file named as the package (icudt73l.dat: l for little-endian).
        package = f"{symbol.removesuffix('_dat')}l.dat"
        full, trimmed = work / package, work / "out" / package
        trimmed.parent.mkdir()
        full.write_bytes(library.read_bytes()[offset : offset + size])
        listing = subprocess.run(
            ["icupkg", "-l", str(full)], capture_output=True, text=True, check=True
        )
        items = listing.stdout.split()
        dropped = [item for item in items if not item_is_kept(item)]
        (work / "dropped.txt").write_text("\n".join(dropped) + "\n")
        # icupkg reads a list file relative to its working folder.
        subprocess.run(
            ["icupkg", "-r", "dropped.txt", full.name, str(trimmed)],
            check=True, capture_output=True, cwd=work,
        )  # fmt: skip
        (work / "data.S").write_text(
            f".section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n"
            f'{symbol}:\n.incbin "{trimmed}"\n.size {symbol}, .-{symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n'
        )
        rebuilt = work / library.name
        subprocess.run(
            ["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(rebuilt),
             str(work / "data.S")],
            check=True,
        )  # fmt: skip
        shutil.copyfile(rebuilt, library)
    return (
        f"ICU data: {len(dropped)} of {len(items)} items cut, {library.name} "
        f"{before / 1_048_576:.1f} -> {library.stat().st_size / 1_048_576:.1f} MiB"
    )
