"""`pip install .` at the top of a checkout (the root pyproject.toml) builds the package of python/.

The build runs with ``--no-build-isolation`` (the test environment's pinned maturin, no download) into a
``--target`` directory, then a fresh interpreter imports the package from there and cleans a text.
``scripts/python-test.sh`` exports ``CARGO_TARGET_DIR``, so the build reuses the compiled dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

ROOT = Path(__file__).resolve().parents[2]


def _pyproject(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_root_and_python_pyprojects_describe_one_package():
    root = _pyproject(ROOT / "pyproject.toml")
    sub = _pyproject(ROOT / "python" / "pyproject.toml")
    assert root["build-system"] == sub["build-system"]
    rp, sp = dict(root["project"]), dict(sub["project"])
    assert (rp.pop("readme"), sp.pop("readme")) == ("python/README.md", "README.md")
    assert rp == sp
    rm, sm = dict(root["tool"]["maturin"]), dict(sub["tool"]["maturin"])
    assert rm.pop("manifest-path") == "python/Cargo.toml"
    assert (rm.pop("python-source"), sm.pop("python-source")) == ("python", ".")
    assert rm == sm


def test_pip_install_at_the_root(tmp_path):
    site = tmp_path / "site"
    # As in an activated virtual environment: maturin's build backend runs the `maturin` beside python.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-build-isolation", "--no-deps", "--target", str(site), str(ROOT)],
        check=True,
        env={**os.environ, "PATH": path},
    )
    code = (
        "import zhclean; "
        "print(zhclean.__file__); "
        "print(zhclean.fix('推动集体经济经济创收,成效明显。', apply='review').text); "
        "print(hasattr(zhclean._zhclean, '_TEST_PANIC_MARKER'))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert Path(out[0]).is_relative_to(site), out[0]
    assert out[1] == "推动集体经济创收，成效明显。"
    # A release build: the test hooks are only in the tests' own build.
    assert out[2] == "False"
    assert (site / "zhclean" / "py.typed").is_file()
    assert (site / "zhclean" / "_zhclean.pyi").is_file()
