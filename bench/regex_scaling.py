"""Benchmark: does any regex of nianbao take worse than linear time on text from strangers?

    uv run python bench/regex_scaling.py [--size N] [--only MODULE]

Every module-level compiled pattern of ``nianbao.extract``, ``nianbao.crawler`` and
``nianbao.archive`` is run the ways its module calls it (``NAME.match(``, ``.fullmatch(``,
anything else as ``finditer`` to the end, as ``findall``, ``sub`` and ``split`` do) on
hostile texts: each interesting character, and each literal run of the pattern's own source
(``<record>``, ``href=``, ``TREE``), with a separator (a space, "/", "】【"…), repeated to
``N`` and to ``4N`` characters, with and without a last character that fails the match.
A linear pattern takes about 4× as long on the longer text, a quadratic one about 16×; a
pattern whose longer run takes over 50 ms and 10× the shorter one is printed as
SUPERLINEAR with the text that shows it (or as not finishing in ``PATIENCE`` seconds).
The exit status is 1 when any is.

Run by hand (timing on a shared machine is noisy: this is a detector, not a test); what it
finds becomes a regression test with a generous time bound in tests/test_hostile_text.py.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import multiprocessing.queues
import pkgutil
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("nianbao.extract", "nianbao.crawler", "nianbao.archive")
CHARACTERS = list(" \t\n<>/\\\"'=:;,.-_[]{}()!?#&%$@*+|a1中【】（）：，。、") + ["\u3000", "ab"]
SEPARATORS = ("", " ", "  ", "x", " a", "/", "：", "】【", "> ")
LITERAL = re.compile(r"[A-Za-z<>/!\"'=:_\[\]{}#&\u3400-\u9fff]{2,}")
SLOW = 0.05  # seconds on the longer text before a ratio counts
RATIO = 10.0  # linear is ~4 for a 4× longer text, quadratic ~16
PATIENCE = 120  # seconds for all the texts of one pattern and one way of calling it


@dataclass(frozen=True)
class Finding:
    where: str
    pattern: str
    text: str
    short: float
    long: float


def patterns(only: str | None) -> Iterator[tuple[str, re.Pattern, set[str]]]:
    """(module.NAME, pattern, how the module calls it) for every module-level compiled
    pattern of the packages."""
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            if only and only not in info.name:
                continue
            try:
                module = importlib.import_module(info.name)
            except ImportError:  # an optional dependency (OCR, LibreOffice glue) missing
                continue
            source = Path(module.__file__ or "").read_text(encoding="utf-8")
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    yield f"{info.name}.{name}", value, uses(source, name)


def uses(source: str, name: str) -> set[str]:
    """How ``source`` calls the pattern ``name``: match, fullmatch, or scan (anything else,
    and a pattern passed on or imported elsewhere)."""
    methods = set(re.findall(rf"\b{re.escape(name)}\.(\w+)\(", source))
    calls = len(re.findall(rf"\b{re.escape(name)}\b", source)) - 1  # less its definition
    found = {m if m in ("match", "fullmatch") else "scan" for m in methods}
    if calls > len(re.findall(rf"\b{re.escape(name)}\.\w+\(", source)) or not found:
        found.add("scan")
    return found


def texts(pattern: re.Pattern, size: int) -> Iterator[tuple[str, str, str]]:
    """(label, text of ``size``, text of ``4 * size``) of repeated tokens."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode()
    literals = {w.replace("\\", "") for w in LITERAL.findall(source)}
    for token in [*CHARACTERS, *sorted(literals)]:
        for separator in SEPARATORS:
            unit = token + separator
            repeat = max(1, size // len(unit))
            for end in ("", "x"):  # a last character that fails the match makes it retry
                yield f"{unit!r} × n + {end!r}", unit * repeat + end, unit * repeat * 4 + end


def timed(pattern: re.Pattern, text: str, how: str) -> float:
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    start = time.perf_counter()
    if how == "match":
        pattern.match(subject)  # type: ignore[arg-type]
    elif how == "fullmatch":
        pattern.fullmatch(subject)  # type: ignore[arg-type]
    else:
        for _ in pattern.finditer(subject):  # type: ignore[arg-type]
            pass
    return time.perf_counter() - start


def scan(size: int, only: str | None) -> list[Finding]:
    findings = []
    for where, pattern, hows in patterns(only):
        for how in sorted(hows):
            finding = _worst_in_child(where, pattern, how, size)
            if finding is not None:
                findings.append(finding)
                times = f": {finding.short:.3f}s → {finding.long:.3f}s" if finding.long else ""
                print(f"SUPERLINEAR {where} ({how}) on {finding.text}{times}")
    return findings


def _worst_in_child(where: str, pattern: re.Pattern, how: str, size: int) -> Finding | None:
    """``_worst`` in a forked child killed after ``PATIENCE`` seconds: an exponential pattern
    never returns, and the regex engine does not see an alarm in time to stop it."""
    context = multiprocessing.get_context("fork")
    answer: multiprocessing.queues.SimpleQueue = context.SimpleQueue()
    child = context.Process(target=lambda: answer.put(_worst(where, pattern, how, size)))
    child.start()
    child.join(PATIENCE)
    if child.is_alive():
        child.kill()
        child.join()
        return Finding(where, f"{pattern.pattern!r}", f"(did not finish in {PATIENCE} s)", 0, 0)
    return answer.get() if not answer.empty() else None


def _worst(where: str, pattern: re.Pattern, how: str, size: int) -> Finding | None:
    for label, short_text, long_text in texts(pattern, size):
        short, long = timed(pattern, short_text, how), timed(pattern, long_text, how)
        if long > SLOW and long > RATIO * max(short, 1e-4):
            # once more: a shared machine's pause is not a finding
            short, long = timed(pattern, short_text, how), timed(pattern, long_text, how)
            if long > SLOW and long > RATIO * max(short, 1e-4):
                return Finding(where, f"{pattern.pattern!r}", label, short, long)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5_000, help="characters of the shorter text")
    parser.add_argument("--only", help="modules whose name holds this")
    args = parser.parse_args()
    start = time.perf_counter()
    count = sum(1 for _ in patterns(args.only))
    findings = scan(args.size, args.only)
    elapsed = time.perf_counter() - start
    print(f"{count} patterns, {len(findings)} superlinear, {elapsed:.0f} s")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
