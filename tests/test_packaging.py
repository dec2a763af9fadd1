"""The built wheel is a complete Harmwatch: installed alone in a fresh virtual environment,
outside the checkout, it greets an Arabic reporter in Arabic and finds its migrations."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("ar", "fr", "es", "uk", "ru", "fa")
PROBE = """
import harmwatch, harmwatch.i18n as i18n
from importlib.resources import files
print(harmwatch.__file__)
print(i18n.gettext("ar", "Which place do you mean by “%(typed)s”?", typed="X"))
print(",".join(i18n.missing_catalogs()) or "-")
print(files("migrations").joinpath("env.py").is_file())
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the test venv's setuptools builds it, so nothing is downloaded.
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out)], check=True, cwd=out, timeout=120)
    (found,) = out.glob("harmwatch-*.whl")
    return found


def test_the_wheel_carries_every_catalog(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in SHIPPED:
        assert f"harmwatch/locales/{lang}/LC_MESSAGES/messages.po" in names


def test_the_installed_wheel_speaks_arabic_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    # The dependencies come from the test environment (appended after the venv's own
    # site-packages, so the installed wheel wins over the checkout's editable install).
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                    str(wheel)], check=True, timeout=120)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run([str(python), "-c", PROBE], cwd=elsewhere, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    where, arabic, missing, migrations = out.stdout.splitlines()
    assert where.startswith(str(venv)), "the installed wheel, not the checkout, was imported"
    assert arabic == "أيّ مكان تقصد بـ«X»؟"
    assert missing == "-"
    assert migrations == "True"
    upgraded = subprocess.run([str(venv / "bin" / "harmwatch"), "db", "upgrade"], cwd=elsewhere, capture_output=True,
                              text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                          "HARMWATCH_DATABASE_URL": "sqlite+aiosqlite:///./hw.db"})
    assert upgraded.returncode == 0, upgraded.stderr
    assert (elsewhere / "hw.db").stat().st_size > 0


def test_a_missing_catalog_is_said_loudly_at_start(tmp_path, monkeypatch, caplog):
    from harmwatch import i18n

    (tmp_path / "ar" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "ar" / "LC_MESSAGES" / "messages.po").write_bytes(i18n.catalog_path("ar").read_bytes())
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    with caplog.at_level("ERROR", logger="harmwatch.i18n"):
        missing = i18n.warn_missing_catalogs()
    assert missing == ["fr", "es", "uk", "ru", "fa"]
    assert "NO CATALOG for fr, es, uk, ru, fa" in caplog.text
