"""Limits that keep reading a hostile or mistaken file fast and memory-bounded.

`spreadsheet` re-exports these; they live here so the text and workbook readers can
share them without importing each other.
"""

from __future__ import annotations

# Excel's own sheet limit, plus room for title rows and a header above the data.
EXCEL_MAX_ROWS = 1_048_576
MAX_ROWS = EXCEL_MAX_ROWS + 1_024

# A contact list of a million rows is well under 200 MB as text; anything above this is
# not a contact list (and reading it would exhaust memory), so it is refused up front.
MAX_FILE_BYTES = 512 * 1024 * 1024

# A workbook is a zip: its parts, unpacked, must fit under this, and no part may expand
# more than MAX_COMPRESSION_RATIO times (real sheets expand 5-30x; zip bombs 1000x+).
# calamine holds about 1.7 bytes per unpacked byte, so 1 GiB keeps it under ~2 GB; a
# million rows of 6 columns as Excel saves them unpack to ~340 MB.
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Parts smaller than this are never called bombs, whatever their ratio.
RATIO_CHECK_MIN_BYTES = 16 * 1024 * 1024

# Excel holds at most 32,767 characters in a cell (calamine cuts longer cells to that),
# so a cell that long means the file is not a contact list (or a quote was never
# closed): the file is refused, naming the row.
MAX_CELL_CHARS = 32_767

# Every non-empty cell costs Python ~60 bytes; this many keep a read under ~1.5 GB even
# when all are filled (a million rows of 24 columns), whatever the file's shape.
MAX_CELLS = 24 * EXCEL_MAX_ROWS

MAX_COLUMNS = 16_384  # Excel's column limit (XFD)

# How many leading rows the header search looks at.
HEADER_SEARCH_ROWS = 30
