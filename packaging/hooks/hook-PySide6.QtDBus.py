# Replaces PyInstaller's own hook for this Qt module: the same collection, minus the
# plugins and translations the app does not use (dropped here, before PyInstaller follows
# their library dependencies into the bundle). Rules: packaging/bundle_contents.py.
from bundle_contents import trimmed_qt_dependencies

hiddenimports, binaries, datas = trimmed_qt_dependencies(__file__)
