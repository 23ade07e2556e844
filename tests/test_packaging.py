"""The installed package: one ``nianbao`` namespace in site-packages, every module in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("archive", "crawler", "extract", "simweb")  # each installs as nianbao.<folder>


def tracked(*patterns: str) -> list[str]:
    """Git-tracked files matching ``patterns``, as paths relative to the checkout."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", *patterns],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in out.split("\0") if name and (ROOT / name).is_file()]


def test_every_package_folder_is_listed_under_the_namespace() -> None:
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {
        "nianbao." + str(Path(name).parent).replace("/", ".")
        for name in tracked(*(f"{folder}/**/__init__.py" for folder in FOLDERS))
    }
    folders |= {f"nianbao.{folder}" for folder in FOLDERS}
    assert sorted(listed["packages"]) == sorted(folders)
    assert listed["package-dir"] == {f"nianbao.{folder}": folder for folder in FOLDERS}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built offline from a copy of the tracked files (the checkout gets no build/)."""
    source = tmp_path_factory.mktemp("source")
    for name in tracked():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    build = "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", build, str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1]


def test_the_wheel_holds_every_module_under_nianbao_and_nothing_else(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"nianbao"}
    for name in tracked(*(f"{folder}/**.py" for folder in FOLDERS)):
        assert f"nianbao/{name}" in names, name
    assert "nianbao/__init__.py" not in names  # a namespace: no module of ours at the top
    for folder in FOLDERS:
        assert f"nianbao/{folder}/py.typed" in names
    assert "nianbao/crawler/portals.toml" in names
    assert any(name.startswith("nianbao/simweb/data/") for name in names)


def test_installing_the_wheel_adds_only_nianbao_to_site_packages(
    wheel: Path, tmp_path: Path
) -> None:
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)  # ensurepip: pip comes with Python, offline
    python = env / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(
        subprocess.run(
            [python, "-c", where], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    before = set(os.listdir(site))
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    added = set(os.listdir(site)) - before
    assert {name for name in added if not name.endswith(".dist-info")} == {"nianbao"}
    assert len([name for name in added if name.endswith(".dist-info")]) == 1
    assert sorted(os.listdir(site / "nianbao")) == sorted(FOLDERS)
