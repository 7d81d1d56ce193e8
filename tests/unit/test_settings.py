"""Settings: declared defaults, atomic save, damaged files kept aside, upgrades, clamping."""

from __future__ import annotations

import json

import pytest

from trackly_desktop import paths
from trackly_desktop.settings import (
    DEFAULT_BASE_URL,
    SCHEMA_VERSION,
    Settings,
    load_settings,
    save_settings,
)


def test_missing_file_gives_defaults():
    settings = load_settings()
    assert settings == Settings()
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.concurrency == 4
    assert settings.list_number == ""
    assert settings.wrap_links is False
    assert settings.schema_version == SCHEMA_VERSION
    assert len(settings.default_country) == 2


def test_round_trip_uses_settings_path():
    settings = Settings(
        default_country="GB",
        list_number="+18005551000",
        concurrency=8,
        wrap_links=True,
        recent_files=["/a.csv", "/b.xlsx"],
        window_geometry="AdnQywAD",
        window_state="AAAA/wAA",
    )
    save_settings(settings)
    assert paths.settings_path().exists()
    assert load_settings() == settings
    # No temporary files are left beside it.
    assert [p.name for p in paths.config_dir().iterdir()] == ["settings.json"]


def test_corrupt_file_is_kept_aside(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert not path.exists()
    assert (tmp_path / "settings.json.corrupt").read_text(encoding="utf-8") == "{not json"


def test_non_object_json_is_corrupt(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.json.corrupt").exists()


@pytest.mark.parametrize(("stored", "expected"), [(0, 1), (-5, 1), (17, 16), (99, 16), (8, 8)])
def test_concurrency_is_clamped(tmp_path, stored, expected):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "concurrency": stored}))
    assert load_settings(path).concurrency == expected


def test_unknown_keys_and_wrong_types_are_ignored(tmp_path):
    path = tmp_path / "s.json"
    data = {
        "schema_version": SCHEMA_VERSION,
        "future_option": 3,
        "wrap_links": "yes",
        "concurrency": "many",
        "recent_files": ["/ok.csv", 5, None],
        "default_country": "nowhere",
        "list_number": "+18005551000",
    }
    path.write_text(json.dumps(data))
    settings = load_settings(path)
    assert settings.wrap_links is False
    assert settings.concurrency == 4
    assert settings.recent_files == ["/ok.csv"]
    assert settings.default_country == Settings().default_country
    assert settings.list_number == "+18005551000"


def test_version_1_file_is_upgraded(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"from_number": "+18005551000", "threads": 12}))
    settings = load_settings(path)
    assert settings.list_number == "+18005551000"
    assert settings.concurrency == 12
    assert settings.schema_version == SCHEMA_VERSION


def test_api_key_is_never_saved(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "api_key": "trk_secret12345"}))
    settings = load_settings(path)
    save_settings(settings, path)
    assert "trk_" not in path.read_text(encoding="utf-8")


def test_recent_files_stay_unique_and_short():
    settings = Settings()
    for i in range(15):
        settings.add_recent_file(f"/f{i}.csv")
    settings.add_recent_file("/f10.csv")
    assert settings.recent_files[0] == "/f10.csv"
    assert len(settings.recent_files) == 10
    assert len(set(settings.recent_files)) == 10


def test_country_from_locale(monkeypatch):
    from trackly_desktop.core.phones import check

    monkeypatch.setattr(check.locale, "getlocale", lambda: (None, None))
    monkeypatch.setenv("LC_ALL", "fr_CA.UTF-8")
    assert Settings().default_country == "CA"
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert Settings().default_country == "US"
    # The settings and the phone checks read the locale through one rule (they once
    # disagreed on en_UK: "UK", no region at all, against "US").
    monkeypatch.setenv("LC_ALL", "en_UK.UTF-8")
    assert Settings().default_country == "GB"
    assert check.default_country_from_locale() == "GB"
