"""Keep the GUI thread answering while worker threads churn through a million rows.

A thread waiting for the GIL (the GUI thread) asks for it after the switch interval (5 ms
by default) and may then lose the race to another busy thread; app.py sets 1 ms for the
whole app. The collector side of responsiveness is core.collector (the core builds the
data, so the core holds it).
"""

# How soon a thread waiting for the GIL (the GUI thread) asks a busy one to let go.
GUI_SWITCH_INTERVAL_S = 0.001
