"""Site kind settings: read from sites/*.toml, and a broken file is named precisely."""

import shutil
from pathlib import Path

import pytest

from review_app.config import PROJECT_ROOT
from review_app.sites.settings import SettingsError, load_all_settings


@pytest.fixture
def sites_dir(tmp_path) -> Path:
    target = tmp_path / "sites"
    shutil.copytree(PROJECT_ROOT / "sites", target)
    return target


def test_shipped_settings_load():
    settings = load_all_settings(PROJECT_ROOT / "sites")
    assert settings["cfsr"].qa_levels == 2
    assert settings["training"].is_practice and settings["training"].practice_banner
    assert not settings["cqi"].is_practice


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("qa_levels = 2", "qa_levels = 3"), "qa_levels: Input should be 1 or 2"),
        (
            ('display_name = "CFSR"', 'display_name = ""'),
            "display_name: String should have at least",
        ),
        (('kind = "cfsr"', 'kind = "cqi"'), "kind: says 'cqi' but the file is for 'cfsr'"),
        (("is_practice = false", 'is_practice = false\ncolour = "red"'), "colour: Extra inputs"),
        (("is_practice = false", 'is_practice = "maybe"'), "is_practice: Input should be a valid"),
        (("qa_levels = 2", "qa_levels = "), "not valid TOML"),
    ],
)
def test_a_broken_file_names_the_file_place_and_fault(sites_dir, change, expected):
    path = sites_dir / "cfsr.toml"
    path.write_text(path.read_text().replace(*change))
    with pytest.raises(SettingsError) as caught:
        load_all_settings(sites_dir)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_missing_file_is_named(sites_dir):
    (sites_dir / "training.toml").unlink()
    with pytest.raises(SettingsError, match="training.toml: missing"):
        load_all_settings(sites_dir)


def test_the_app_refuses_to_start_with_a_broken_file(sites_dir):
    from review_app import create_app

    (sites_dir / "cqi.toml").write_text('kind = "cqi"\n')
    with pytest.raises(SettingsError, match="cqi.toml"):
        create_app({"SITES_DIR": sites_dir, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
