"""The main window's actions, its File and Help menus and its toolbar.

Built on the window, as a Designer form's `setupUi` is, so that each action is the
window's attribute (`window.open_action`, `window.history_action`, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QToolBar

# The window is ui.main_window.MainWindow, which imports this module: typed Any here so
# that no import (type-only included) goes round in a circle.
MainWindow = Any


def build_menus(window: MainWindow) -> None:
    """The actions (open, sample contacts, do-not-text list, history, settings, about,
    quit), the File and Help menus and the toolbar, on `window`."""
    _actions(window)
    _menus(window)
    _toolbar(window)


def _actions(window: MainWindow) -> None:
    style = window.style()
    window.open_action = QAction(
        style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton),
        "&Open spreadsheet…",
        window,
    )
    window.open_action.setShortcut(QKeySequence.StandardKey.Open)
    window.open_action.setToolTip("Open a spreadsheet of contacts (Ctrl+O)")
    window.open_action.triggered.connect(window.choose_file)
    window.sample_action = QAction("Try it with &sample contacts", window)
    window.sample_action.triggered.connect(window.open_sample)
    # Demo mode only: with a real key the sample is never offered (nor sent).
    window.sample_action.setVisible(window.session.demo)
    window.sample_action.setEnabled(window.session.demo)
    window.do_not_text_action = QAction("&Do-not-text list…", window)
    window.do_not_text_action.setToolTip("Numbers never to text again, from any spreadsheet")
    window.do_not_text_action.triggered.connect(window.open_do_not_text)
    window.history_action = QAction(
        style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView), "&History…", window
    )
    window.history_action.setShortcut(QKeySequence("Ctrl+H"))
    window.history_action.setToolTip("Past campaigns and their results")
    window.history_action.triggered.connect(window.open_history)
    window.settings_action = QAction(
        style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView),
        "&Settings…",
        window,
    )
    window.settings_action.setShortcut(QKeySequence("Ctrl+,"))
    window.settings_action.setToolTip("Your Trackly key, sending number and country")
    window.settings_action.triggered.connect(window.open_settings)
    window.about_action = QAction("&About Trackly Desktop", window)
    window.about_action.triggered.connect(window.show_about)
    window.quit_action = QAction("&Quit", window)
    window.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    window.quit_action.triggered.connect(window.close)


def _menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(window.open_action)
    window.recent_menu = QMenu("Open &recent", window)
    window.recent_menu.setObjectName("recentMenu")
    file_menu.addMenu(window.recent_menu)
    file_menu.addAction(window.sample_action)
    file_menu.addSeparator()
    file_menu.addAction(window.do_not_text_action)
    file_menu.addAction(window.history_action)
    file_menu.addAction(window.settings_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(window.about_action)
    refresh_recent_menu(window)


def _toolbar(window: MainWindow) -> None:
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addAction(window.open_action)
    toolbar.addAction(window.history_action)
    toolbar.addAction(window.settings_action)
    window.addToolBar(toolbar)


def refresh_recent_menu(window: MainWindow) -> None:
    """The File menu's recent files, from the settings (greyed out when there are none)."""
    window.recent_menu.clear()
    recent = [p for p in window.session.settings.recent_files if p]
    for text in recent:
        action = window.recent_menu.addAction(Path(text).name)
        action.setToolTip(text)
        action.setData(text)
        action.triggered.connect(lambda _checked=False, p=text: window.open_path(Path(p)))
    window.recent_menu.setEnabled(bool(recent))
