"""Every data file the app reads at run time ships in the wheel: pyproject's package-data
globs cover every file under app/ that is not Python source."""

from __future__ import annotations

import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_data_file_under_app_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["app"]
    tracked = subprocess.run(
        ["git", "ls-files", "app"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [p for p in tracked if not p.endswith((".py", ".pyi")) and "/__pycache__/" not in p]
    assert "app/extraction/data/first_names.tsv" in data
    missing = [p for p in data if not any(fnmatch(p.removeprefix("app/"), g) for g in globs)]
    assert missing == []
