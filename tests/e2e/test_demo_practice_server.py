"""The demo shows the real thing: the practice server answers with a network's delay, the
sample's opted-out and VOIP people fail, progress moves in several steps (so Pause can be
tried), Retry and the failures table are at work, and the demo's test send says it went
to the practice server."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt

from trackly_desktop.ui import application as app
from trackly_desktop.ui.main_window import REVIEW, SEND


def test_the_demo_sample_send_shows_progress_failures_and_not_sure(qtbot):
    launched = app.launch(demo=True)
    try:
        window = launched.window
        qtbot.addWidget(window)
        window.show()
        faults = launched.sandbox.faults
        assert faults.latency_ms >= 300 and faults.latency_jitter_ms > 0
        with qtbot.waitSignal(window.contacts_step.loaded, timeout=60000):
            window.sample_action.trigger()
        with qtbot.waitSignal(window.review_step.ready, timeout=60000):
            window.go_to(REVIEW)

        panel = window.review_step.test_panel
        assert panel.title() == "Send a test (demo: to the practice server)"
        panel.number.setText("+1 415 555 0100")
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.task is None, timeout=10000)
        assert panel.result.text().startswith("Test sent to the practice server")
        assert "no phone receives it" in panel.result.text()

        window.go_to(SEND)
        step = window.send_step
        qtbot.waitUntil(step.send_button.isEnabled, timeout=10000)
        reports: list[int] = []
        step.progress_received.connect(lambda state: reports.append(int(state.sent)))
        qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
        with qtbot.waitSignal(step.results.loaded, timeout=60000):
            qtbot.mouseClick(step.confirm_send_button, Qt.MouseButton.LeftButton)
        report = step.last_outcome.report
        # 16 ready: the opted-out and the VOIP person fail at the server.
        assert (report.sent, report.failed, report.uncertain) == (14, 2, 0)
        assert len(set(reports)) >= 4  # progress moved in steps, not all at once
        codes = sorted(line.code for line in step.results.model.lines())
        assert codes == ["not_sendable", "opted_out"]
        gc.unfreeze()
        window.close()
    finally:
        launched.shutdown()
