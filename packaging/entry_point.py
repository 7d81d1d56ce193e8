"""The script PyInstaller freezes: the app's own `main`, nothing else.

A separate file (not `trackly_desktop/__main__.py`) so the frozen program's `__main__`
is not a module of the package, which keeps relative imports and `-m` runs unaffected.
"""

from trackly_desktop.app import main

raise SystemExit(main())
