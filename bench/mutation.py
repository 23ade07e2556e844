"""Benchmark: mutation score of the fast tests over a bounded sample of extract/ and archive/.

    uv run python bench/mutation.py [--module archive/warc/reader.py ...] [--show-survivors]

Run by hand, never in CI: mutmut 3 (fetched for the run by ``uv run --with``, not a project
dependency) mutates each sampled module in a copy of the working tree's files (tracked, and
untracked ones git does not ignore) in a temporary folder, so the working tree is never
touched, and runs the fast tests (not slow, crawl or browser) of that module's test files
against every mutant. Prints mutants, killed, survived and the score (killed / mutants); a
survivor is behaviour no fast test pins. The run stops with an error if the tests did not
import the mutated copy (then every mutant would pass for a survivor).

The score of older tests (the README's "before"): this script in a worktree of that commit
(it also handles the top-level extract/, archive/ packages of commits before d7def8e),
    git worktree add /tmp/before REV && cp bench/mutation.py /tmp/before/bench/
    cd /tmp/before && PATH=$OLDPWD/.venv/bin:$PATH uv run python bench/mutation.py
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
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
# The default run (under 2 minutes here); the audit and reader tests make a run of all four
# take over 10 minutes on this 2-core machine.
DEFAULT = ["extract/decode.py", "extract/tables/values.py"]
# A pytest plugin put into the copy and loaded by every test run of mutmut's. In the run that
# maps tests to functions (stats, in mutmut's main process, before any mutant) it records where
# the modules the tests imported came from, and fails that run if a sampled module was not
# mutmut's mutated copy or a module came from the checkout: mutmut then stops, and no mutant
# "survives" unmutated code. It does nothing in the mutants' runs, so it cannot kill one.
PROBE = "mutation_probe"
PROBE_SOURCE = '''"""Written by bench/mutation.py: checks that the tests run the mutants."""

import json
import os
import sys
from pathlib import Path

SAMPLED = {sampled!r}
CHECKOUT = [Path(folder) for folder in {checkout!r}]
RECORD = Path({record!r})


def pytest_sessionfinish(session):
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return
    files = {{
        name: str(Path(module.__file__).resolve())
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None)
    }}
    problems = []
    for name, path in SAMPLED.items():
        module = sys.modules.get(name)
        if module is None:
            problems.append(f"the tests never imported {{name}}")
        elif files.get(name) != str(Path(path).resolve()):
            problems.append(f"{{name}} is {{files.get(name)}}, not the mutated copy {{path}}")
        elif not any("__mutmut_" in attribute for attribute in vars(module)):
            problems.append(f"{{name}} has no mutants: {{files[name]}}")
    problems += [
        f"{{name}} was imported from the checkout: {{file}}"
        for name, file in sorted(files.items())
        if any(Path(file).is_relative_to(folder) for folder in CHECKOUT)
    ]
    sampled = {{name: files.get(name) for name in SAMPLED}}
    RECORD.write_text(json.dumps({{"sampled": sampled, "problems": problems}}), encoding="utf-8")
    if problems:
        print("\\n".join(["", "bench/mutation.py:", *problems]))
        session.exitstatus = 1
'''


def package_folders(root: Path) -> dict[str, str]:
    """Top-level folder -> its path in the copy, from pyproject's setuptools ``package-dir``.

    Since d7def8e, extract/ installs as ``nianbao.extract`` and the tests import
    ``nianbao.extract.decode``. mutmut names a mutant by its file's path (extract/decode.py
    gives ``extract.decode``) and its trampoline runs a mutant only in the module of that
    ``__name__``, so the copy holds the package where its name says: nianbao/extract/. That
    also puts a ``nianbao`` folder at the front of sys.path (mutmut's mutants/), which the
    path finder, ahead of the editable install's finder on sys.meta_path, finds first.
    Empty for the top-level packages of older commits.
    """
    with (root / "pyproject.toml").open("rb") as file:
        tool = tomllib.load(file).get("tool", {})
    mapping = tool.get("setuptools", {}).get("package-dir", {})
    return {folder: name.replace(".", "/") for name, folder in mapping.items() if name}


def in_copy(path: str, folders: dict[str, str]) -> str:
    """Where ``path`` (relative to the checkout) goes in the copy."""
    top, _, rest = path.partition("/")
    return f"{folders[top]}/{rest}" if top in folders and rest else path


def copy_tree(dest: Path, folders: dict[str, str]) -> list[str]:
    """Copy the working tree's files into ``dest``: tracked ones, and untracked ones git does
    not ignore (a module not yet added is imported all the same). Returns the top-level
    folders copied (not .venv/, which git ignores)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    names = list(filter(None, listed.stdout.decode().split("\0")))
    for name in names:
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            target = dest / in_copy(name, folders)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return sorted({name.split("/")[0] for name in names if "/" in name})


def write_config(
    work: Path, modules: list[str], folders: dict[str, str], checkout: list[str]
) -> None:
    """mutmut's [mutmut] section (setup.cfg, as pyproject.toml has no [tool.mutmut]) and the
    probe plugin, which the pytest arguments load; ``checkout``: the folders copied."""
    tests = sorted({test for module in modules for test in SAMPLE[module]})
    modules = [in_copy(module, folders) for module in modules]
    # The whole top-level folder (nianbao/ since d7def8e): every nianbao.* module then comes
    # from mutants/, none from the checkout through the editable install.
    sources = sorted({module.split("/")[0] + "/" for module in modules})
    others = sorted(
        p.name + "/"
        for p in work.iterdir()
        if p.is_dir() and p.name + "/" not in sources and p.name != "tests"
    )
    probe = PROBE_SOURCE.format(
        sampled={
            module.removesuffix(".py").replace("/", "."): str(work / "mutants" / module)
            for module in modules
        },
        checkout=[str(ROOT / folder) for folder in checkout],
        record=str(work / "probe.json"),
    )
    (work / f"{PROBE}.py").write_text(probe, encoding="utf-8")

    def lines(values: list[str]) -> str:
        return "".join(f"\n    {value}" for value in values)

    pytest_args = ["-m", FAST, "-p", "no:cacheprovider", "-p", "no:xdist", "-p", PROBE]
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths={lines(sources)}\n"
        f"only_mutate={lines(modules)}\n"
        f"also_copy={lines([*others, f'{PROBE}.py'])}\n"
        f"pytest_add_cli_args={lines(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection={lines(tests)}\n",
        encoding="utf-8",
    )


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run mutmut in ``work`` with the project's locked environment plus mutmut.

    In a process group of its own, killed whole on Ctrl-C: mutmut forks a worker per mutant.
    """
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
    child = subprocess.Popen(
        command,
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = child.communicate()
    except BaseException:  # Ctrl-C reaches only this process, not the new session
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise
    return subprocess.CompletedProcess(command, child.returncode, stdout, stderr)


def tail(run: subprocess.CompletedProcess[str], limit: int = 3000) -> str:
    """The end of mutmut's output, without its spinner frames (mutmut reports on stdout)."""
    text = (run.stdout + run.stderr).replace("\r", "\n")
    kept = [
        line for line in text.splitlines() if line.strip() and not "\u2800" <= line[0] <= "\u28ff"
    ]
    return "\n".join(kept)[-limit:]


def statuses(results_output: str) -> dict[str, str]:
    """Mutant name -> status from ``mutmut results --all true`` ("    name: status")."""
    found = {}
    for line in results_output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            found[name] = status
    return found


def probe_record(work: Path) -> dict[str, str]:
    """What the probe found in the stats run; exits if it found nothing or a problem."""
    record = work / "probe.json"
    if not record.exists():
        sys.exit("the probe never ran: cannot tell whether the tests ran the mutated code")
    found = json.loads(record.read_text(encoding="utf-8"))
    problems = found["problems"]
    if problems:
        more = [f"and {len(problems) - 20} more"] if len(problems) > 20 else []
        sys.exit("the tests did not run the mutated copy:\n  " + "\n  ".join(problems[:20] + more))
    return found["sampled"]


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
    folders = package_folders(ROOT)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nianbao-mutation-") as folder:
        work = Path(folder)
        checkout = copy_tree(work, folders)
        write_config(work, modules, folders, checkout)
        run = mutmut(work, "run", "--max-children", "2")  # the machine has two cores
        if run.returncode != 0 and not (work / "probe.json").exists():
            sys.exit(f"mutmut run failed (exit {run.returncode}):\n{tail(run)}")
        sampled = probe_record(work)  # first: a stats run the probe failed is explained there
        if run.returncode != 0:
            sys.exit(f"mutmut run failed (exit {run.returncode}):\n{tail(run)}")
        results = mutmut(work, "results", "--all", "true")
        if results.returncode != 0:
            sys.exit(f"mutmut results failed (exit {results.returncode}):\n{tail(results)}")
    found = statuses(results.stdout)
    counts = Counter(found.values())
    total, killed = len(found), counts["killed"]
    print(f"modules: {', '.join(modules)}")
    for name, file in sampled.items():
        print(f"tests imported {name} from {file}")
    print(
        f"mutants: {total}  killed: {killed}  survived: {counts['survived']}  "
        f"other: {total - killed - counts['survived']} {dict(counts)}"
    )
    print(f"score: {killed / total:.1%}" if total else "score: no mutants")
    print(f"time: {(time.monotonic() - start) / 60:.1f} min")
    if args.show_survivors:
        for name, status in sorted(found.items()):
            if status == "survived":
                print(f"  survived: {name}")
    if not killed:  # no mutant at all failed a test: the tests cannot have run the mutants
        sys.exit("no mutant was killed: the tests did not run the mutated code")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted (mutmut's processes killed, the temporary copy removed)")
