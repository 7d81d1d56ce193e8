"""The SQLite journal, the source of truth for what was sent."""
