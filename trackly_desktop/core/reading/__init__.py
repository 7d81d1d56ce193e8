"""Files to a Table: encodings, workbooks, the header row, limits."""
