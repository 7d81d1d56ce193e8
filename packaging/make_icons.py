"""Render the app icon's SVG into the PNG sizes, the Windows .ico and the macOS .icns.

    python packaging/make_icons.py   # rewrites resources/icons/trackly*.png, .ico, .icns

The outputs are committed, so builds need neither this script nor a display. Qt renders the
SVG (offscreen); the .ico and .icns containers are written here by hand because Qt's image
writers store only one picture per file, and both formats want several sizes.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "trackly.svg"
NAME = "trackly"

# Freedesktop hicolor sizes (the .deb installs each one as trackly-desktop.png).
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows shows 16-48 in lists and the taskbar, 256 in large views.
ICO_SIZES = (16, 24, 32, 48, 64, 256)
# Entries are PNG data; the type code says the pixel size (@2x types are Retina variants).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
# Above this size an .ico entry is stored as PNG; below, as a classic bitmap, which every
# Windows tool (resource compilers, Inno Setup) reads.
ICO_PNG_FROM = 256


def render_png(size: int) -> bytes:
    """The icon drawn at `size` x `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: PLC0415
    from PySide6.QtGui import QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _bitmap_entry(png: bytes) -> bytes:
    """A 32-bit BGRA bitmap (with its all-clear AND mask) as an .ico entry stores it."""
    from PySide6.QtGui import QImage  # noqa: PLC0415

    image = QImage.fromData(png, "PNG").convertToFormat(QImage.Format.Format_ARGB32)
    width, height = image.width(), image.height()
    row_bytes = width * 4
    raw = bytes(image.constBits())[: row_bytes * height]
    # ARGB32 is stored B, G, R, A in memory on little-endian machines: what a DIB wants.
    if sys.byteorder != "little":
        raise SystemExit("make_icons.py writes .ico bitmaps on little-endian machines only")
    pixels = b"".join(raw[y * row_bytes : (y + 1) * row_bytes] for y in reversed(range(height)))
    mask_row = ((width + 31) // 32) * 4
    mask = bytes(mask_row * height)
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    return header + pixels + mask


def build_ico(pngs: dict[int, bytes]) -> bytes:
    entries = [
        (size, pngs[size] if size >= ICO_PNG_FROM else _bitmap_entry(pngs[size]))
        for size in ICO_SIZES
    ]
    directory = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    blobs = []
    for size, blob in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs.append(blob)
    return directory + b"".join(blobs)


def build_icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        code + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for code, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(size) for size in sizes}
    for size in PNG_SIZES:
        (ICONS / f"{NAME}-{size}.png").write_bytes(pngs[size])
    # The window's fallback when Qt's SVG plugin is missing (app.app_icon tries SVG first).
    (ICONS / f"{NAME}.png").write_bytes(pngs[256])
    (ICONS / f"{NAME}.ico").write_bytes(build_ico(pngs))
    (ICONS / f"{NAME}.icns").write_bytes(build_icns(pngs))
    del app
    print(f"wrote {len(PNG_SIZES) + 1} PNGs, {NAME}.ico and {NAME}.icns to {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
