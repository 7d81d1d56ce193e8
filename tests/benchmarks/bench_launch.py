"""Benchmark: time from launching the app to its window on screen.

    .venv/bin/python tests/benchmarks/bench_launch.py [--runs 5] [--platform offscreen]

Each run is a fresh Python process (a new interpreter, nothing cached in memory except what
the OS keeps in its file cache) started the way `trackly-desktop` starts: logging, the
QApplication, the crash handler, the session and the main window, then `show()`. The
clock runs from just before the process is spawned until the window's first paint
(an event filter on the window), so interpreter start-up and every import are included.
Measured for a normal start and for `--demo` (which also starts the in-process sandbox).
Each run uses its own temporary app home. Printed: median, best and worst, and the child's
own split (imports, QApplication, window built, first paint) for the median run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
demo = sys.argv[1] == "demo"
from trackly_desktop import app as app_module
from trackly_desktop.ui import application
from PySide6.QtCore import QEvent, QObject, QTimer
t_imports = time.perf_counter()
app_module.configure_logging()
app = application.create_application([])
t_app = time.perf_counter()
from trackly_desktop.ui import crash_handler
crash_handler.install()
launched = application.launch(demo=demo)
window = launched.window
t_window = time.perf_counter()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "at"):
            self.at = time.perf_counter()
            print(json.dumps({
                "shown": True,
                "imports": t_imports - t0,
                "qapplication": t_app - t_imports,
                "window": t_window - t_app,
                "first_paint": self.at - t_window,
                "in_process": self.at - t0,
            }), flush=True)
            QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaint()
window.installEventFilter(spy)
window.show()
QTimer.singleShot(30000, app.quit)
app.exec()
window.close()
launched.shutdown()
crash_handler.uninstall()
"""


def one_run(mode: str, platform: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="trackly-bench-launch-") as home:
        env = dict(os.environ, TRACKLY_DESKTOP_HOME=home, QT_QPA_PLATFORM=platform)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        figures: dict[str, float] | None = None
        for line in proc.stdout:
            if line.startswith("{"):
                figures = json.loads(line)
                figures["launch_to_shown"] = time.perf_counter() - start
                break
        _out, err = proc.communicate(timeout=60)
        if figures is None:
            raise SystemExit(f"the window never painted ({mode}):\n{err}")
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    print(
        f"Qt platform: {args.platform}; {args.runs} runs per mode; python {sys.version.split()[0]}"
    )
    for mode in ("normal", "demo"):
        runs = [one_run(mode, args.platform) for _ in range(args.runs)]
        times = sorted(r["launch_to_shown"] for r in runs)
        median = statistics.median(times)
        typical = min(runs, key=lambda r: abs(r["launch_to_shown"] - median))
        print(
            f"{mode:>7}: launch → window shown  median {median:.2f} s"
            f"  (best {times[0]:.2f} s, worst {times[-1]:.2f} s)"
        )
        print(
            "         median run: interpreter start "
            f"{typical['launch_to_shown'] - typical['in_process']:.2f} s, imports "
            f"{typical['imports']:.2f} s, QApplication {typical['qapplication']:.2f} s, "
            f"window built {typical['window']:.2f} s, first paint {typical['first_paint']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
