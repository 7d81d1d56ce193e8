"""Benchmark: checking 1,048,576 rows against a 100,000-number do-not-text list.

Run:  .venv/bin/python tests/benchmarks/bench_do_not_text.py [--rows N] [--listed N] [--runs N]

Target (issue 9 §2): the list adds at most 0.5 s to checking a million-row file.

What is timed, side by side:
- ours: load the list from SQLite into a set (`DoNotTextList.numbers`) and set every
  row's status with it (`Recipients.set_do_not_text`), minus the same status pass with an
  empty list: the time the list adds (medians of --runs, each figure apart);
- the plain alternative: ask SQLite about each row's number (one indexed query a row,
  --plain-runs times: it takes tens of seconds).

The file: E.164 US numbers with valid area codes, 1 in 10 of them on the list, the list
padded to --listed with numbers not in the file. Built once through the real reader and
checks (not timed).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _numbers(rng: random.Random, count: int, areas: list[str]) -> list[str]:
    out: set[str] = set()
    while len(out) < count:
        area = rng.choice(areas)
        out.add(f"+1{area}{rng.randint(2, 9)}{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}")
    return list(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--listed", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plain-runs", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_validation import AREA_CODES

    from trackly_desktop.core.audience.do_not_text import DoNotTextList
    from trackly_desktop.core.contacts.mapping import ColumnMapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    rng = random.Random(9)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        phones = _numbers(rng, args.rows, AREA_CODES)
        source = folder / "contacts.csv"
        source.write_text("Phone\n" + "\n".join(phones) + "\n", encoding="utf-8")
        listed = phones[:: 10][: args.listed]
        listed += _numbers(rng, args.listed - len(listed), AREA_CODES)
        dnt = DoNotTextList(folder / "do-not-text.sqlite3")
        dnt.add_many(listed, reason="bench", source="import")
        print(f"{args.rows:,} rows, {len(dnt):,} numbers on the list; building…", flush=True)
        recipients = build_recipients(read_table(source), ColumnMapping(phone="Phone"), "", "US")

        without, load, with_list = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            recipients.set_do_not_text(frozenset())
            t1 = time.perf_counter()
            numbers = dnt.numbers()
            t2 = time.perf_counter()
            recipients.set_do_not_text(numbers)
            t3 = time.perf_counter()
            without.append(t1 - t0)
            load.append(t2 - t1)
            with_list.append(t3 - t2)
        excluded = recipients.summary().excluded
        # Each figure's median apart: on a shared machine one slow pass would swing a
        # per-run difference either way.
        added = statistics.median(load) + statistics.median(with_list) - statistics.median(without)

        plain = []
        for _ in range(args.plain_runs):
            conn = sqlite3.connect(folder / "do-not-text.sqlite3")
            t4 = time.perf_counter()
            query = "SELECT 1 FROM do_not_text WHERE phone=?"
            hits = sum(1 for p in recipients.phone if conn.execute(query, (p,)).fetchone())
            plain.append(time.perf_counter() - t4)
            conn.close()
        dnt.close()
    print(f"rows excluded: {excluded:,} (per-row query found {hits:,})")
    def runs(values: list[float]) -> str:
        return ", ".join(f"{t:.3f}" for t in values)

    print(f"status pass without a list: median {statistics.median(without):.3f} s  "
          f"({runs(without)})")  # fmt: skip
    print(f"load the list (set):        median {statistics.median(load):.3f} s  ({runs(load)})")
    print(f"status pass with the list:  median {statistics.median(with_list):.3f} s  "
          f"({runs(with_list)})")  # fmt: skip
    print(f"ours, added by the list (load + with - without): {added:.3f} s")
    print(f"plain, one SQLite query per row: median {statistics.median(plain):.3f} s "
          f"({runs(plain)})")  # fmt: skip
    verdict = "within" if added <= 0.5 else "OVER"
    print(f"target: the list adds at most 0.5 s -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
