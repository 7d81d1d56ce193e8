"""Benchmark: read + map + validate + render, at 10,000 rows (.xlsx) and 1,048,576 rows (.csv).

Run:  .venv/bin/python tests/benchmarks/bench_validation.py [--rows N] [--keep DIR]

Prints each step's wall time and the peak resident memory (ru_maxrss) after it. The data
is generated here: six columns, US numbers in mixed formats ("(415) 555-1234",
"+1 415-555-1234", "1 415 555 1234", "415.555.1234", apostrophes, full-width digits...),
random area codes and exchanges, and about 4% bad rows (short, letters, extensions,
Excel damage, empty, duplicates). Targets (issue 3 §7): 10k xlsx all steps <= 0.5 s;
1M csv read <= 2 s, validate + render <= 15 s, peak memory <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))
from phone_lists import written_as_people_type

FIRST = ["Ada", "Bob", "Chloé", "Dev", "Emma", "Femi", "Grace", "Hiro", "Inés", "José", ""]
LAST = ["Lovelace", "Smith", "Nguyen", "García", "O'Brien", "Kim", "Müller", "", "Okafor"]
CITIES = ["Oakland", "Austin", "Boston", "Denver", "Miami", "Seattle", "Portland"]
TEMPLATE = "Hi {{first_name|there}}, your order {{Order}} from {{City}} is ready. Ref {{messageId}}"


def _area_codes() -> list[str]:
    """Area codes in use (per phonenumbers), so that good rows are valid numbers."""
    import phonenumbers

    found = []
    for area in range(200, 1000):
        number = phonenumbers.parse(f"{area}2345678", "US")
        if phonenumbers.is_valid_number(number):
            found.append(str(area))
    return found


AREA_CODES = _area_codes()


def _us_number(rng: random.Random, areas: list[str]) -> str:
    area = rng.choice(areas)
    exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
    line = f"{rng.randint(0, 9999):04d}"
    return written_as_people_type(rng, area, exchange, line)


def _bad(rng: random.Random) -> str:
    return rng.choice(
        [
            "",
            "555-1234",
            "n/a",
            "1.41555E+10",
            "4155551234.5",
            "415-555-1234 x22",
            "1-800-FLOWERS",
            "12345678901234567",
            "(415) 555-12",
        ]
    )


def rows(count: int, seed: int = 7, areas: list[str] | None = None):
    """Rows of the six columns; `areas` limits the area codes (a local shop), default all."""
    rng = random.Random(seed)
    areas = areas or AREA_CODES
    previous: list[str] = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.03:
            phone = _bad(rng)
        elif roll < 0.04 and previous:
            phone = rng.choice(previous)  # a duplicate of an earlier row
        else:
            phone = _us_number(rng, areas)
            if len(previous) < 1000:
                previous.append(phone)
        yield [
            phone,
            rng.choice(FIRST),
            rng.choice(LAST),
            rng.choice(CITIES),
            f"A{100000 + i}",
            f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}",
        ]


HEADER = ["Phone", "First Name", "Last Name", "City", "Order", "Amount"]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))


def write_xlsx(path: Path, count: int, areas: list[str] | None = None) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(HEADER)
    for row in rows(count, areas=areas):
        sheet.append(row)
    book.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run(path: Path, label: str) -> dict[str, float]:
    """Each step's wall time and CPU time (the machine is shared: CPU shows our own cost)."""
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    def timed(step, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        result = step(*args)
        return result, time.perf_counter() - wall, time.process_time() - cpu

    table, read_wall, read_cpu = timed(read_table, path)
    mapping, map_wall, map_cpu = timed(suggest_mapping, table)
    def check(table, mapping):
        # As the window checks a file nobody chose a country for: the numbers may show
        # another country (phones.country_guess), which costs a sample of them.
        try:
            return build_recipients(table, mapping, TEMPLATE, "US", country_source="default")
        except TypeError:  # a version before the country could be inferred (side by side)
            return build_recipients(table, mapping, TEMPLATE, "US")

    recipients, check_wall, check_cpu = timed(check, table, mapping)
    total_wall = read_wall + map_wall + check_wall
    total_cpu = read_cpu + map_cpu + check_cpu
    print(
        f"{label}: read {read_wall:.2f} s (cpu {read_cpu:.2f}), map {map_wall:.3f} s, "
        f"validate+render {check_wall:.2f} s (cpu {check_cpu:.2f}), "
        f"total {total_wall:.2f} s (cpu {total_cpu:.2f}), peak {peak_mb():.0f} MB",
        flush=True,
    )
    print(f"    {recipients.summary()}", flush=True)
    return {"read": read_wall, "validate+render": check_wall, "total": total_wall}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated files here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="trackly-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    small = folder / f"contacts-{args.small}.xlsx"
    local = folder / f"contacts-{args.small}-local.xlsx"
    big = folder / f"contacts-{args.rows}.csv"
    if not small.exists():
        write_xlsx(small, args.small)
    if not local.exists():
        write_xlsx(local, args.small, areas=AREA_CODES[:5])
    if not big.exists():
        write_csv(big, args.rows)
    print(f"python {sys.version.split()[0]}; files in {folder}", flush=True)
    # Warm-up on a tiny sheet so module imports are not billed to the first measurement.
    warm = folder / "warm-up.csv"
    if not warm.exists():
        write_csv(warm, 10)
    run(warm, "warm-up (10 rows)")
    run(small, f"{args.small:,} rows xlsx, all US area codes")
    run(local, f"{args.small:,} rows xlsx, 5 area codes (a local shop)")
    run(big, f"{args.rows:,} rows csv, all US area codes")
    print(f"peak resident memory: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
