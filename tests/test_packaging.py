"""The wheel a user installs holds every package and data file of the project: an
editable install (what `make` does) maps the source tree and hides a package left out."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_every_package_and_data_file(tmp_path: Path) -> None:
    # Built from a copy: a build/ folder left in the checkout would fill the gaps.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for top in ("provenance", "crawlers"):
        shutil.copytree(ROOT / top, source / top, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("provenance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(path.relative_to(ROOT))
        for top in ("provenance", "crawlers")
        for path in (ROOT / top).rglob("*")
        if path.suffix in (".py", ".yml", ".html", ".css") and "__pycache__" not in path.parts
    }
    assert expected - names == set()
