"""A crawl keeps to its output folder and to loopback: no file elsewhere, no DNS, no listener.

The demo runs once, in a network namespace that has only loopback and with HOME, every XDG_*
folder and TMPDIR pointing at empty folders; a separate crawl is watched for listening sockets
from the simulated web's side while it is being answered.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from nianbao.simweb import SimServer, World, build_world

ELSEWHERE = (
    "HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_RUNTIME_DIR",
    "TMPDIR",
)
# Variables that would move a library's cache or settings somewhere else and hide a write.
MASKING = re.compile(r"^(TLDEXTRACT_|SCRAPY_|XDG_)")
DEMO_REPORTS = 6
DEMO_SEED = 0  # the demo's default seed, so the test can rebuild the same web's truth

# Run inside the new namespace: bring loopback up (it starts DOWN), refuse to go on if any
# other interface exists, then become the demo. ioctl, so iproute2 is not needed.
NETNS_WRAPPER = """
import fcntl, os, socket, struct, sys
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    got = fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sh", b"lo", 0))
    flags = struct.unpack("16sh", got[:18])[1]
    fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))
with open("/proc/self/net/dev") as dev:
    names = sorted(line.split(":")[0].strip() for line in dev.readlines()[2:])
if names != ["lo"]:
    sys.exit(f"netns wrapper: interfaces {names}, expected only lo")
os.execv(sys.executable, [sys.executable, "-m", "nianbao.crawler.cli", *sys.argv[1:]])
"""

# What a crawl.log shows when something tried the network beyond loopback.
NETWORK_ERRORS = re.compile(
    r"publicsuffix|githubusercontent|DNS lookup failed|gaierror|name resolution|"
    r"Name or service not known|Network is unreachable|Connection refused|"
    r"Remote control HTTP server",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IsolatedDemo:
    """One demo run in a loopback-only namespace with empty HOME/XDG_*/TMPDIR folders."""

    done: subprocess.CompletedProcess[str]
    elsewhere: Path  # holds the folders HOME, XDG_* and TMPDIR pointed at
    out: Path


def empty_folders_env(root: Path) -> dict[str, str]:
    """The environment with HOME, every XDG_* folder and TMPDIR at new empty folders under root."""
    env = {k: v for k, v in os.environ.items() if not MASKING.match(k)}
    for name in ELSEWHERE:
        folder = root / name.lower()
        folder.mkdir(parents=True)
        env[name] = str(folder)
    return {**env, "COLUMNS": "250"}


def unshare_command() -> list[str]:
    """`unshare` for a new network namespace: as root plainly, else mapped root in a userns."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.fail(
            "`unshare` (util-linux) is needed to run the demo without a network: "
            "apt-get install util-linux"
        )
    command = [unshare, "-n"] if os.geteuid() == 0 else [unshare, "-rn"]
    probe = subprocess.run([*command, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.fail(
            f"cannot create a network namespace ({' '.join(command)} true: "
            f"{probe.stderr.strip()}): run the tests as root or allow user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1)"
        )
    return command


@pytest.fixture(scope="module")
def isolated_demo(tmp_path_factory: pytest.TempPathFactory) -> IsolatedDemo:
    root = tmp_path_factory.mktemp("isolated")
    out = root / "out"
    env = empty_folders_env(root / "elsewhere")
    done = subprocess.run(
        [
            *unshare_command(),
            sys.executable,
            "-c",
            NETNS_WRAPPER,
            "demo",
            "--out",
            str(out),
            "--reports",
            str(DEMO_REPORTS),
            "--seed",
            str(DEMO_SEED),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )
    return IsolatedDemo(done, root / "elsewhere", out)


@pytest.mark.crawl
def test_demo_writes_nothing_outside_its_output_folder(isolated_demo: IsolatedDemo) -> None:
    assert isolated_demo.done.returncode == 0, isolated_demo.done.stderr[-3000:]
    root = isolated_demo.elsewhere
    written = sorted(
        str(p.relative_to(root)) for name in ELSEWHERE for p in (root / name.lower()).rglob("*")
    )
    assert not written, "the demo wrote outside --out: " + ", ".join(written)


@pytest.mark.crawl
def test_demo_needs_no_network_beyond_loopback(isolated_demo: IsolatedDemo) -> None:
    done = isolated_demo.done
    assert done.returncode == 0, done.stderr[-3000:]
    world = build_world(seed=DEMO_SEED, reports=DEMO_REPORTS)
    with sqlite3.connect(isolated_demo.out / "nianbao.db") as db:
        found = {url for (url,) in db.execute("SELECT url FROM reports")}
    assert found == {r.url for r in world.reports}
    log = (isolated_demo.out / "crawl.log").read_text(encoding="utf-8")
    tried = sorted({m.group(0) for m in NETWORK_ERRORS.finditer(log + done.stderr)})
    assert not tried, f"the demo reached beyond the simulated web (crawl.log, stderr): {tried}"


TCP_LISTEN = "0A"  # the state column of /proc/net/tcp for LISTEN


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (a crawl may fork workers)."""
    pids, i = [pid], 0
    while i < len(pids):
        for task in Path(f"/proc/{pids[i]}/task").glob("*/children"):
            pids += [int(child) for child in task.read_text().split()]
        i += 1
    return pids


def socket_inodes(pid: int) -> set[str]:
    """Inodes of the sockets among ``pid``'s open file descriptors."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:  # closed while we listed
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def inet_sockets(pid: int) -> list[tuple[str, str, str, str]]:
    """(table, local address, remote address, state) of every TCP/UDP socket of pid's tree."""
    found = []
    for member in process_tree(pid):
        mine = socket_inodes(member)
        for table in ("tcp", "tcp6", "udp", "udp6"):
            for line in Path(f"/proc/{member}/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                if fields[9] in mine:
                    found.append((table, fields[1], fields[2], fields[3]))
    return found


def readable(address: str) -> str:
    """/proc/net's ``0100007F:1F90`` as ``127.0.0.1:8080`` (IPv6 addresses stay in hex)."""
    host, port = address.split(":")
    if len(host) == 8:  # IPv4, little-endian
        host = ".".join(str(int(host[i : i + 2], 16)) for i in (6, 4, 2, 0))
    return f"{host}:{int(port, 16)}"


def is_listening(table: str, remote: str, state: str) -> bool:
    """A TCP socket in LISTEN, or a UDP socket bound without a peer (it receives from anyone)."""
    return state == TCP_LISTEN if table.startswith("tcp") else remote.endswith(":0000")


class WatchedWeb(SimServer):
    """The simulated web, noting the crawler's sockets each time it answers one of its requests.

    The crawler is then mid-crawl and waiting, so its listeners (if any) are open and no timing
    is involved."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.crawler_pid: int | None = None
        self.seen: list[list[tuple[str, str, str, str]]] = []
        self._seen_lock = threading.Lock()

    def record(self, method: str, url: str) -> None:
        super().record(method, url)
        if self.crawler_pid is not None:
            sockets = inet_sockets(self.crawler_pid)
            with self._seen_lock:
                self.seen.append(sockets)


@pytest.mark.crawl
def test_a_crawl_opens_no_listening_socket(tmp_path: Path) -> None:
    world = build_world(seed=3, reports=2)
    registry = tmp_path / "portals.toml"
    registry.write_text(world.registry_toml(), encoding="utf-8")
    with WatchedWeb(world) as web, open(tmp_path / "crawl.stderr", "w+") as stderr:
        crawl = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nianbao.crawler.cli",
                "crawl",
                "--registry",
                str(registry),
                "--out",
                str(tmp_path / "out"),
                "--proxy",
                web.proxy_url,
                "--loopback",
                "--prefix",
                "test",
                "--max-pages",
                "40",
            ],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        web.crawler_pid = crawl.pid
        proxy_port = f":{web.port:04X}"  # as /proc/net/tcp writes ports
        code = crawl.wait(timeout=600)
        stderr.seek(0)
        assert code == 0, stderr.read()[-3000:]
    # the check sees the crawler's sockets at all: its connections to the simulated web
    assert any(remote.endswith(proxy_port) for sockets in web.seen for _, _, remote, _ in sockets)
    listening = sorted(
        {
            f"{table} {readable(local)}"
            for sockets in web.seen
            for table, local, remote, state in sockets
            if is_listening(table, remote, state)
        }
    )
    assert not listening, f"the crawl opened listening sockets: {listening}"
