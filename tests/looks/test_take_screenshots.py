"""The README's picture script still drives the window: one picture, offscreen.

The whole set (a real send to the practice server, History, Settings, three sizes and
schemes) is taken by hand with `take_screenshots.py` under Xvfb; this only keeps the
script from rotting as the window changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

SCRIPT = Path(__file__).with_name("take_screenshots.py")


def test_takes_the_sample_contacts_picture_at_the_readme_size(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--only", "contacts", "--out", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.png"]
    picture = QImage(str(tmp_path / "contacts.png"))
    assert (picture.width(), picture.height()) == (1024, 700)
    # The demo banner's amber is drawn across the top: the window was painted, not blank.
    middle = picture.width() // 2
    assert any(picture.pixelColor(middle, y).name() == "#f6c343" for y in range(150))
