"""The script PyInstaller freezes: the window, or the `trackly` command line by its name.

One script for both programs of the bundle: on Linux and macOS `trackly` is a link to the
`trackly-desktop` executable, on Windows a second (console) executable of its own; each
starts the program its name says.

A separate file (not `trackly_desktop/__main__.py`) so the frozen program's `__main__`
is not a module of the package, which keeps relative imports and `-m` runs unaffected.
"""

import os
import sys

if os.path.basename(sys.argv[0]).lower().removesuffix(".exe") == "trackly":
    from trackly_desktop.cli import main
else:
    from trackly_desktop.app import main

raise SystemExit(main())
