"""Benchmark: mutation score of the fast tests over a bounded sample of extract/ and archive/.

    uv run python bench/mutation.py [--module archive/warc/reader.py ...] [--show-survivors]

Run by hand, never in CI: mutmut 3 (fetched for the run by ``uv run --with``, not a project
dependency) mutates each sampled module in a copy of the git-tracked files in a temporary
folder, so the working tree is never touched, and runs the fast tests (not slow, crawl or
browser) of that module's test files against every mutant. Prints mutants, killed, survived
and the score (killed / mutants); a survivor is behaviour no fast test pins.

The score of older tests (the README's "before"): this script in a worktree of that commit,
    git worktree add /tmp/before REV && cp bench/mutation.py /tmp/before/bench/
    cd /tmp/before && PATH=$OLDPWD/.venv/bin:$PATH uv run python bench/mutation.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = "mutmut==3.8.1"
FAST = "not slow and not crawl and not browser"
# The sample: each module with the test files that exercise it (kept small: minutes, not hours).
SAMPLE = {
    "extract/tables/values.py": ["tests/test_tables.py"],
    "extract/decode.py": ["tests/test_extract_decode.py"],
    "archive/warc/reader.py": ["tests/test_warc_reader.py"],
    "archive/audit/relations.py": ["tests/test_audit_core.py"],
}
# The default run (about 3 minutes here); the audit and reader tests make a run of all four
# take over 10 minutes on this 2-core machine.
DEFAULT = ["extract/decode.py", "extract/tables/values.py"]


def copy_tracked(dest: Path) -> None:
    """Copy the git-tracked files (as they are in the working tree) into ``dest``."""
    names = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def write_config(work: Path, modules: list[str]) -> None:
    """mutmut's [mutmut] section; setup.cfg because pyproject.toml has no [tool.mutmut]."""
    tests = sorted({test for module in modules for test in SAMPLE[module]})
    sources = sorted({module.split("/")[0] + "/" for module in modules})
    others = sorted(
        p.name + "/"
        for p in work.iterdir()
        if p.is_dir() and p.name + "/" not in sources and p.name != "tests"
    )

    def lines(values: list[str]) -> str:
        return "".join(f"\n    {value}" for value in values)

    pytest_args = ["-m", FAST, "-p", "no:cacheprovider", "-p", "no:xdist"]
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths={lines(sources)}\n"
        f"only_mutate={lines(modules)}\n"
        f"also_copy={lines(others)}\n"
        f"pytest_add_cli_args={lines(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection={lines(tests)}\n",
        encoding="utf-8",
    )


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run mutmut in ``work`` with the project's locked environment plus mutmut."""
    uv = shutil.which("uv") or str(ROOT / ".venv" / "bin" / "uv")
    command = [
        uv,
        "run",
        "--project",
        str(ROOT),
        "--locked",
        "--extra",
        "test",
        "--with",
        MUTMUT,
        "mutmut",
        *args,
    ]
    return subprocess.run(command, cwd=work, capture_output=True, text=True)


def statuses(results_output: str) -> dict[str, str]:
    """Mutant name -> status from ``mutmut results --all true`` ("    name: status")."""
    found = {}
    for line in results_output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            found[name] = status
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module",
        action="append",
        choices=sorted(SAMPLE),
        help="module to mutate (repeatable; default: decode.py, values.py)",
    )
    parser.add_argument("--show-survivors", action="store_true", help="list surviving mutants")
    args = parser.parse_args()
    modules = args.module or DEFAULT
    with tempfile.TemporaryDirectory(prefix="nianbao-mutation-") as folder:
        work = Path(folder)
        copy_tracked(work)
        write_config(work, modules)
        run = mutmut(work, "run", "--max-children", "2")  # the machine has two cores
        if run.returncode != 0:
            sys.exit(f"mutmut run failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
        results = mutmut(work, "results", "--all", "true")
        if results.returncode != 0:
            sys.exit(f"mutmut results failed (exit {results.returncode}):\n{results.stderr}")
    found = statuses(results.stdout)
    counts = Counter(found.values())
    total, killed = len(found), counts["killed"]
    print(f"modules: {', '.join(modules)}")
    print(
        f"mutants: {total}  killed: {killed}  survived: {counts['survived']}  "
        f"other: {total - killed - counts['survived']} {dict(counts)}"
    )
    print(f"score: {killed / total:.1%}" if total else "score: no mutants")
    if args.show_survivors:
        for name, status in sorted(found.items()):
            if status == "survived":
                print(f"  survived: {name}")


if __name__ == "__main__":
    main()
