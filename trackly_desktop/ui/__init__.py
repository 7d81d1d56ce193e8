"""Everything Qt: the main window, its steps, table models, dialogs and workers."""
