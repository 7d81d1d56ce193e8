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

# Every cell of a text file costs Python ~60-90 bytes (a pointer in pandas' column and
# the text itself), beside the file's bytes: a million rows of 24 distinct short values
# (253 MB) peaked at 2.15 GB. This many keep any text file under ~1.5 GB.
MAX_CELLS = 16 * EXCEL_MAX_ROWS

# Pandas is handed at most this many cells at once, so the limits above are checked
# before a wide file's chunk is in memory (16,384 columns: 61 rows at a time).
MAX_CHUNK_CELLS = 1_000_000

# A workbook costs more: calamine holds every cell of a sheet's dense block (first to last
# used cell) and Python a text copy of each, about 200 bytes a cell in all (an .ods of a
# million rows of 6 columns peaked at 1.3 GB). This many keep a workbook under ~1.5 GB;
# the block is measured from the sheet's XML before calamine opens it (workbook_extent).
MAX_WORKBOOK_CELLS = 6_400_000

MAX_COLUMNS = 16_384  # Excel's column limit (XFD)

# How many leading rows the header search looks at.
HEADER_SEARCH_ROWS = 30
