"""Benchmark: phone checks on four kinds of list, side by side with per-row phonenumbers.

Run:  .venv/bin/python tests/benchmarks/bench_phones.py [--rows 200000] [--repeat 3] [--big]
          [--kinds local national ...] [--parts step end-to-end json million xlsx]

The lists (tests/unit/phone_lists.py, read with the default country US): a local shop
(5 area codes), a national list (every NANP area code, ~5% mistyped, ~3% repeated), an
international list (15 countries, with and without +, national formats), random 10-digit
values. Each is written as a 6-column CSV (phone, names, city, order, amount).

The plain alternative, "per-row phonenumbers", is phonenumbers.parse, is_valid_number and
format_number(E164) on each value. Printed, medians of --repeat runs, each pair run side
by side (ours, then the alternative, then ours again...):

1. validate + render: `build_recipients` (every number checked, every message rendered,
   statuses set) against the per-row phonenumbers loop on the same values alone;
   target: at least 10x. Wall and CPU time.
2. `trackly check FILE` end to end, process start included, against the same command with
   its phone step replaced by per-row phonenumbers; target: at least 4x.
3. `trackly check --json` against the text report on the national list (at least 9 pairs,
   whatever --repeat says); target: at most 0.2 s more.
With --big (or --parts million xlsx): 1,048,576 national rows read + validated + rendered
(target 8 s), and a 10,000-row .xlsx read -> render in a fresh process (target 0.3 s).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "unit"))

from phone_lists import COUNTRY, LIST_KINDS, phone_list  # noqa: E402

TEMPLATE = "Hi {{first_name|there}}, your order {{Order}} from {{City}} is ready. Ref {{messageId}}"
HEADER = ["Phone", "First Name", "Last Name", "City", "Order", "Amount"]
FIRST = ["Ada", "Bob", "Chloé", "Dev", "Emma", "Femi", "Grace", "Hiro", "Inés", "José", ""]
LAST = ["Lovelace", "Smith", "Nguyen", "García", "O'Brien", "Kim", "Müller", "", "Okafor"]
CITIES = ["Oakland", "Austin", "Boston", "Denver", "Miami", "Seattle", "Portland"]

# A `trackly check` whose phone step is per-row phonenumbers (the same process otherwise).
PER_ROW_CHECK = """
import sys, phonenumbers
from trackly_desktop.core.phones.fastpath import FastChecker
def per_row(self, values, **_):
    country = self.country
    e164s, reasons = [], []
    for value in values:
        try:
            number = phonenumbers.parse(value, country)
        except phonenumbers.NumberParseException:
            e164s.append(None); reasons.append("not_a_number"); continue
        if phonenumbers.is_valid_number(number):
            e164s.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
            reasons.append(None)
        else:
            e164s.append(None); reasons.append("invalid_for_country")
    return e164s, reasons, [None] * len(values)
FastChecker.check_columns = per_row  # whatever calls it: the column path, replaced
from trackly_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""
OURS_CHECK = "import sys\nfrom trackly_desktop.cli import main\nsys.exit(main(sys.argv[1:]))"


def write_csv(path: Path, phones: list[str]) -> None:
    rng = random.Random(11)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i, phone in enumerate(phones):
            writer.writerow(
                [
                    phone,
                    rng.choice(FIRST),
                    rng.choice(LAST),
                    rng.choice(CITIES),
                    f"A{100000 + i}",
                    f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}",
                ]
            )


def per_row_phonenumbers(values: list[str]) -> None:
    import phonenumbers

    for value in values:
        try:
            number = phonenumbers.parse(value, COUNTRY)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def step(path: Path, repeat: int) -> None:
    """validate + render (ours) against per-row phonenumbers, in this process."""
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(path)
    mapping = suggest_mapping(table)
    phones = table.column_values(mapping.phone)
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(timed(lambda: build_recipients(table, mapping, TEMPLATE, COUNTRY)))
        theirs.append(timed(lambda: per_row_phonenumbers(phones)))
    rows = len(phones)
    for label, index in (("wall", 0), ("cpu", 1)):
        a = statistics.median(t[index] for t in ours)
        b = statistics.median(t[index] for t in theirs)
        print(
            f"    validate+render ({label}): ours {a:.3f} s ({a / rows * 1e6:.2f} µs/row), "
            f"per-row phonenumbers {b:.3f} s ({b / rows * 1e6:.2f} µs/row): {b / a:.1f}x",
            flush=True,
        )


def run_command(code: str, args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one process running `code`, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def end_to_end(path: Path, repeat: int) -> None:
    args = ["check", str(path), "--country", COUNTRY, "--template", TEMPLATE]
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(run_command(OURS_CHECK, args))
        theirs.append(run_command(PER_ROW_CHECK, args))
    (a, a_cpu), (b, b_cpu) = _medians(ours), _medians(theirs)
    print(
        f"    trackly check end to end: ours {a:.2f} s (cpu {a_cpu:.2f}), "
        f"per-row {b:.2f} s (cpu {b_cpu:.2f}): {b / a:.1f}x wall, {b_cpu / a_cpu:.1f}x cpu"
    )


def json_cost(path: Path, repeat: int) -> None:
    args = ["check", str(path), "--country", COUNTRY, "--template", TEMPLATE]
    text, json = [], []
    # At least 9 pairs: one process's time varies by about 0.15 s here, as much as the
    # difference measured, so 3 pairs gave +0.13 to +0.26 s on the same code.
    for _ in range(max(repeat, 9)):
        text.append(run_command(OURS_CHECK, args))
        json.append(run_command(OURS_CHECK, [*args, "--json"]))
    (a, a_cpu), (b, b_cpu) = _medians(text), _medians(json)
    print(
        f"    --json: {b:.2f} s (cpu {b_cpu:.2f}), text report {a:.2f} s (cpu {a_cpu:.2f}): "
        f"{b - a:+.2f} s wall, {b_cpu - a_cpu:+.2f} s cpu"
    )


def million(folder: Path) -> None:
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    path = folder / "national-1048576.csv"
    write_csv(path, phone_list("national", 1_048_576, seed=3))
    start, cpu = time.perf_counter(), time.process_time()
    table = read_table(path)
    read = time.perf_counter() - start
    build_recipients(table, suggest_mapping(table), TEMPLATE, COUNTRY)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"1,048,576 national rows: read {read:.2f} s, read+validate+render {total:.2f} s "
        f"(cpu {total_cpu:.2f})"
    )


def xlsx_cold(folder: Path, repeat: int) -> None:
    import openpyxl

    small = folder / "national-10000.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(HEADER)
    rng = random.Random(5)
    for i, phone in enumerate(phone_list("national", 10_000, seed=5)):
        sheet.append([phone, rng.choice(FIRST), rng.choice(LAST), rng.choice(CITIES), i, 9.5])
    book.save(small)
    cold = f"""
import time
start = time.perf_counter()
from trackly_desktop.core.contacts.mapping import suggest_mapping
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients
imported, cpu = time.perf_counter(), time.process_time()
table = read_table({str(small)!r})
build_recipients(table, suggest_mapping(table), {TEMPLATE!r}, "US")
done = time.perf_counter()
print(f"{{done - imported:.3f}} {{done - start:.3f}} {{time.process_time() - cpu:.3f}}")
"""
    runs = [
        subprocess.run([sys.executable, "-c", cold], check=True, capture_output=True, text=True)
        for _ in range(repeat)
    ]
    work = statistics.median(float(r.stdout.split()[0]) for r in runs)
    with_imports = statistics.median(float(r.stdout.split()[1]) for r in runs)
    work_cpu = statistics.median(float(r.stdout.split()[2]) for r in runs)
    print(
        f"10,000-row .xlsx in a fresh process: read -> render {work:.3f} s (cpu {work_cpu:.3f}; "
        f"{with_imports:.3f} s counting the imports)"
    )


PARTS = ("step", "end-to-end", "json", "million", "xlsx")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="the same as --parts ... million xlsx")
    parser.add_argument("--kinds", nargs="*", default=list(LIST_KINDS))
    parser.add_argument(
        "--parts",
        nargs="*",
        choices=PARTS,
        default=["step", "end-to-end", "json"],
        help="what to time (default: step end-to-end json)",
    )
    args = parser.parse_args()
    if args.big:
        args.parts = [*args.parts, "million", "xlsx"]
    folder = Path(tempfile.mkdtemp(prefix="trackly-phones-"))
    print(f"python {sys.version.split()[0]}; {args.rows:,} rows a list; files in {folder}")
    kinds = args.kinds if {"step", "end-to-end", "json"} & set(args.parts) else []
    for kind in kinds:
        if kind != "national" and not {"step", "end-to-end"} & set(args.parts):
            continue
        path = folder / f"{kind}.csv"
        write_csv(path, phone_list(kind, args.rows))
        print(f"{kind}:", flush=True)
        if "step" in args.parts:
            step(path, args.repeat)
        if "end-to-end" in args.parts:
            end_to_end(path, args.repeat)
        if kind == "national" and "json" in args.parts:
            json_cost(path, args.repeat)
    if "million" in args.parts:
        million(folder)
    if "xlsx" in args.parts:
        xlsx_cold(folder, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
