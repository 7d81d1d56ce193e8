"""Results: what happened to each message, in words and in files."""
