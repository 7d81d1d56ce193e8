"""Status colours stay readable when the system is dark: the rows' status words, the counts
above the contacts table and a send's counts on its results, on the dark palette.

The light colours read at 4.5:1 or better on white but only about 3:1 on the dark
palette's near-black (the purple 2:1): pictures taken under Xvfb in GTK's dark theme
(tests/looks/take_screenshots.py --scheme dark) showed them dim.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from tests.ui.test_results_view import make_campaign
from trackly_desktop.ui import theme

MEANINGS = ("ready", "attention", "duplicate", "excluded", "retryable")


def _luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("meaning", MEANINGS)
def test_each_status_colour_reads_on_its_scheme(qapp, meaning):
    dark = theme.dark_palette()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                 QPalette.ColorRole.Window):  # fmt: skip
        assert _contrast(theme.status_colour(meaning, dark=True), dark.color(role)) >= 4.5
    assert _contrast(theme.status_colour(meaning, dark=False), QColor("#ffffff")) >= 4.5


@pytest.fixture
def dark_system(monkeypatch):
    """The system says dark (offscreen Qt has no system scheme to ask)."""
    monkeypatch.setattr(theme, "is_dark", lambda: True)


def test_contacts_rows_and_counts_in_the_dark_colours(qtbot, dark_system, session, sample_csv):
    from trackly_desktop.ui.contacts_step import ContactsStep

    step = ContactsStep(session)
    qtbot.addWidget(step)
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_csv)
    model = step.model
    statuses = [model.index(r, 1).data() for r in range(model.rowCount())]
    ready, attention = statuses.index("Ready"), statuses.index("Needs attention")
    foreground = Qt.ItemDataRole.ForegroundRole
    assert model.index(ready, 1).data(foreground).color() == QColor("#81c995")
    assert model.index(attention, 1).data(foreground).color() == QColor("#f28b82")
    counts = step.counts_label.text()
    assert "color:#81c995'><b>16</b> ready" in counts
    assert "color:#f28b82'><b>3</b> need attention" in counts
    assert "color:#e2c05a'><b>1</b> duplicate" in counts


def test_results_counts_in_the_dark_colours(qtbot, dark_system):
    from trackly_desktop.ui.results_view import ResultsView

    campaign_id = make_campaign(6, {4: "opted_out"}, uncertain=1)
    view = ResultsView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.show_campaign(campaign_id)
    summary = view.summary.text()
    assert "<span style='color:#81c995'>✓ <b>4</b> sent</span>" in summary
    assert "<span style='color:#f28b82'>✗ <b>1</b> not sent</span>" in summary
    assert "<span style='color:#f0b35a'>? <b>1</b> not sure</span>" in summary


def test_problem_words_in_the_dark_colours(qtbot, dark_system, session, tmp_path):
    """A file the app cannot read: its error is said in the dark scheme's red."""
    from trackly_desktop.ui.contacts_step import ContactsStep

    broken = tmp_path / "customers.xlsx"
    broken.write_bytes(b"this is not a workbook")
    step = ContactsStep(session)
    qtbot.addWidget(step)
    with qtbot.waitSignal(step.failed, timeout=60000):
        step.open_file(broken)
    assert step.error_label.text()
    assert step.error_label.styleSheet() == "color: #f28b82; font-weight: 600;"


def test_results_counts_take_the_new_scheme_while_shown(qtbot, qapp, monkeypatch):
    """Shown in the light scheme, the counts turn to the dark shades when the desktop
    switches, without another load."""
    from trackly_desktop.ui.results_view import ResultsView

    campaign_id = make_campaign(6, {4: "opted_out"})
    view = ResultsView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.show_campaign(campaign_id)
    assert "<span style='color:#2e7d32'>✓ <b>5</b> sent</span>" in view.summary.text()
    before = qapp.palette()
    try:
        monkeypatch.setattr(theme, "is_dark", lambda: True)
        theme.apply_scheme(qapp)
        assert "<span style='color:#81c995'>✓ <b>5</b> sent</span>" in view.summary.text()
    finally:
        qapp.setPalette(before)
