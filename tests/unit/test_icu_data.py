"""Which items of Qt's ICU data the Linux bundle keeps (packaging/icu_data.py).

The trimmed library itself is proven by the .deb test: the bundled app's smoke test sorts
"e, é, Eve, f, zoë" through it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import icu_data  # noqa: E402


@pytest.mark.parametrize(
    "item",
    [
        "root.res",  # locale data every ICU service falls back to
        "de.res",  # top-level locale data: small, read by the calendar for any locale
        "pool.res",
        "res_index.res",
        "zoneinfo64.res",  # time-zone rules (ucal_*)
        "cnvalias.icu",  # converter names: ucnv_open needs them even for UTF-8
        "uemoji.icu",
        "nfkc.nrm",
        "coll/root.res",  # the default collation order
        "coll/ucadata.icu",
        "coll/en.res",
        "coll/en_US_POSIX.res",
        "coll/res_index.res",
        "zone/root.res",
        "zone/en_GB.res",
        "zone/pool.res",
    ],
)
def test_kept(item):
    assert icu_data.item_is_kept(item)


@pytest.mark.parametrize(
    "item",
    [
        "ibm-1047_P100-1995.cnv",  # legacy converters: Qt has its own UTF and Latin-1 codecs
        "windows-936-2000.cnv",
        "brkitr/word.brk",
        "brkitr/thaidict.dict",
        "coll/de.res",
        "coll/zh.res",
        "zone/fr.res",
        "unit/en.res",
        "curr/en.res",
        "lang/en.res",
        "region/en.res",
        "translit/root.res",
        "rbnf/en.res",
    ],
)
def test_cut(item):
    assert not icu_data.item_is_kept(item)


def test_a_bundle_without_icu_data_is_left_alone(tmp_path):
    (tmp_path / "_internal").mkdir()
    assert icu_data.trim(str(tmp_path)) is None
