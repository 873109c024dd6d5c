"""Store back ends for the tests: a SQLite file, and a real PostgreSQL server started here.

The PostgreSQL server is a throwaway cluster: ``initdb`` in a temporary folder, listening on
127.0.0.1 at a free port (and a socket in that folder), stopped and removed at the end of the
session. It never touches a system cluster. ``initdb`` refuses to run as root, so as root the
cluster runs as the unprivileged ``nobody``. Where no PostgreSQL server binaries can be found
(``scripts/test.sh`` installs Debian's ``postgresql``), the PostgreSQL cases skip, saying so.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOY = ROOT / "tests" / "fixtures" / "valid" / "toy.yaml"
UNPRIVILEGED = "nobody"


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on loopback."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="accord-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                raise RuntimeError("running as root without runuser to drop privileges")
            self.as_user = [runuser, "-u", UNPRIVILEGED, "--"]
            shutil.chown(self.root, user=UNPRIVILEGED)

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_user, *args],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=self.root,
        )

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "accord",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=60"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://accord@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = _bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server binaries (initdb) on this machine; scripts/test.sh installs "
            "Debian's postgresql"
        )
    cluster = Cluster(bindir)
    try:
        cluster.start()
    except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
        log = cluster.root / "server.log"
        detail = log.read_text(errors="replace")[-800:] if log.exists() else ""
        cluster.stop()
        pytest.skip(f"could not start a throwaway PostgreSQL cluster: {exc} {detail}")
    deadline = time.monotonic() + 30
    import psycopg

    while True:
        try:
            psycopg.connect(cluster.url()).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty store URL on each back end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runs.db'}"
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def draws_dir(tmp_path) -> Path:
    return tmp_path / "draws"


@pytest.fixture
def toy() -> Path:
    return TOY
