"""Sizes of the Linux bundle and .deb, and the bundled app's time from launch to window.

    .venv/bin/python tests/benchmarks/bench_bundle.py                 # builds into a temp dir
    .venv/bin/python tests/benchmarks/bench_bundle.py --dist packaging/dist   # reuse a build
    .venv/bin/python tests/benchmarks/bench_bundle.py --windows [--dist DIR]  # Windows sizes

Launch-to-window is measured two ways, each from outside the process (the clock starts
just before the executable is spawned):
- offscreen: `trackly-desktop --smoke-test`, until it prints its "window" line (the real
  start-up path: QApplication, settings, key store, session, main window shown);
- on X11 (when Xvfb and xdotool are installed): `trackly-desktop --demo` on a virtual
  display, until the window titled "Trackly Desktop" is mapped; this also proves the xcb
  platform plugin loads against the system's libraries.
The first run after a build reads the files from disk; later runs from the page cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = "trackly-desktop"


def tree_bytes(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir())


def largest_parts(internal: Path, count: int = 8) -> list[tuple[int, str]]:
    parts = [
        (tree_bytes(p) if p.is_dir() else p.lstat().st_size, p.name) for p in internal.iterdir()
    ]
    qt = internal / "PySide6" / "Qt" / "lib"
    if qt.is_dir():
        parts += [(p.stat().st_size, f"PySide6/Qt/lib/{p.name}") for p in qt.iterdir()]
    return sorted(parts, reverse=True)[:count]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["TRACKLY_DESKTOP_HOME"] = str(home)
    return env


def offscreen_launch_s(executable: Path, home: Path) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(executable), "--smoke-test"],
        stdout=subprocess.PIPE,
        text=True,
        env={**_env(home), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert process.stdout is not None
    elapsed = None
    for line in process.stdout:
        if line.startswith(("ok    window", "FAIL  window")):
            elapsed = time.perf_counter() - started
            if line.startswith("FAIL"):
                raise SystemExit(f"smoke test failed: {line.strip()}")
    if process.wait() != 0 or elapsed is None:
        raise SystemExit("the smoke test did not pass")
    return elapsed


def x11_launch_s(executable: Path, home: Path, display: str) -> float:
    env = {**_env(home), "DISPLAY": display}
    env.pop("QT_QPA_PLATFORM", None)
    started = time.perf_counter()
    process = subprocess.Popen([str(executable), "--demo"], env=env)
    try:
        # Polled every 20 ms (xdotool's own --sync waits 0.5 s between looks). By process,
        # not by title: xdotool matches the legacy WM_NAME, where the em dash of "Demo:
        # nothing is really sent — Trackly Desktop" leaves no "Trackly Desktop" to find.
        while time.perf_counter() - started < 60:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                env=env,
                check=False,
                capture_output=True,
            )
            if found.returncode == 0:
                return time.perf_counter() - started
            if process.poll() is not None:
                raise SystemExit(f"the app exited ({process.returncode}) before its window showed")
            time.sleep(0.02)
        raise SystemExit("no window within 60 s")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _summary(times: list[float]) -> str:
    # The machine is shared: the load average says how much to trust the figures.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"first {times[0]:.2f} s, median of the rest {statistics.median(times[1:]):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, n={len(times)}; "
        f"load average {load} on {os.cpu_count()} CPUs)"
    )


def windows_sizes(dist: Path | None, scratch: Path) -> int:
    """The Windows bundle and installer (built on this machine under Wine unless given)."""
    if dist is None:
        dist = scratch / "dist"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, str(ROOT / "packaging" / "build.py"), "windows", "--dist", str(dist)],
            check=True,
        )
        print(f"build (bundle under Wine + installer): {time.monotonic() - started:.0f} s")
    bundle = dist / APP
    (installer,) = dist.glob("TracklyDesktop-*-setup.exe")
    print(f"bundle unpacked: {tree_bytes(bundle) / 1_048_576:.1f} MiB  ({bundle})")
    print(f"installer:       {installer.stat().st_size / 1_048_576:.1f} MiB  ({installer.name})")
    for size, name in largest_parts(bundle / "_internal"):
        print(f"  {size / 1_048_576:6.1f} MiB  {name}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--dist", type=Path, help="a dist folder of build.py (else build)")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument(
        "--windows", action="store_true", help="sizes of the Windows bundle and installer instead"
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    if args.windows:
        try:
            return windows_sizes(args.dist, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    try:
        dist = args.dist
        if dist is None:
            dist = scratch / "dist"
            started = time.monotonic()
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "packaging" / "build.py"),
                    "linux",
                    "--dist",
                    str(dist),
                    "--work",
                    str(scratch / "work"),
                ],
                check=True,
            )
            print(f"build (bundle + .deb): {time.monotonic() - started:.0f} s")
        bundle = dist / APP
        (deb,) = dist.glob(f"{APP}_*.deb")
        print(f"bundle unpacked: {tree_bytes(bundle) / 1_048_576:.1f} MiB  ({bundle})")
        print(f".deb:            {deb.stat().st_size / 1_048_576:.1f} MiB  ({deb.name})")
        for size, name in largest_parts(bundle / "_internal"):
            print(f"  {size / 1_048_576:6.1f} MiB  {name}")

        executable = bundle / APP
        times = [offscreen_launch_s(executable, scratch / f"h{i}") for i in range(args.runs)]
        print(f"launch to window, offscreen (--smoke-test): {_summary(times)}")

        if shutil.which("Xvfb") and shutil.which("xdotool"):
            display = ":97"
            xvfb = subprocess.Popen(
                ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(1.0)
                times = [
                    x11_launch_s(executable, scratch / f"x{i}", display) for i in range(args.runs)
                ]
                print(f"launch to window, X11 under Xvfb (--demo):  {_summary(times)}")
            finally:
                xvfb.terminate()
                xvfb.wait(timeout=10)
        else:
            print("launch to window on X11: skipped (install xvfb and xdotool)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
