"""The send engine: claiming batches, sending them, tallying outcomes."""
