"""Benchmark: what several phone columns and the country guess cost on a million rows.

    .venv/bin/python tests/benchmarks/bench_phone_choice.py [--rows N] [--repeat 3]

Side by side, on the same generated column of US numbers in mixed formats (about 4%
bad or empty): the plain fast check of one column (`check_phone_columns`), the per-row
choice over that one column (`choose_phones`, what Recipients runs), the choice over a
mobile column with 30% of its cells empty and a home column behind it, and the country
reading of a file nobody chose a country for (`read_country`). Medians of CPU time
(the machine is shared: wall time is printed too).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time


def _column(rows: int, empty_share: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    formats = ["({a}) {b}-{c}", "{a}-{b}-{c}", "+1 {a} {b} {c}", "{a}.{b}.{c}", "1{a}{b}{c}"]
    values = []
    for _ in range(rows):
        if rng.random() < empty_share:
            values.append("")
            continue
        a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
        values.append(rng.choice(formats).format(a=a, b=b, c=f"{c:04d}"))
    return values


def _timed(step, repeat: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        step()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def main() -> int:
    from trackly_desktop.core.phones.columns import check_phone_columns
    from trackly_desktop.core.phones.country_guess import DEFAULT, read_country
    from trackly_desktop.core.recipients.phone_choice import choose_phones

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_048_575)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mobile = _column(args.rows, 0.01, 1)
    sparse = _column(args.rows, 0.30, 2)
    home = _column(args.rows, 0.05, 3)
    cases = [
        ("plain: check_phone_columns, one column", lambda: check_phone_columns(mobile, "US")),
        ("ours: choose_phones, one column", lambda: choose_phones(["Mobile"], [mobile], "US")),
        (
            "ours: choose_phones, mobile 30% empty + home",
            lambda: choose_phones(["Mobile", "Home"], [sparse, home], "US"),
        ),
        ("ours: read_country, nobody chose", lambda: read_country([mobile], "US", DEFAULT)),
    ]
    print(f"{args.rows:,} rows, median of {args.repeat}")
    for label, step in cases:
        cpu, wall = _timed(step, args.repeat)
        print(f"  {label:48s} cpu {cpu:6.2f} s   wall {wall:6.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
