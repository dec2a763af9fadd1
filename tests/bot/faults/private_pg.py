"""A PostgreSQL server of the test's own (initdb and pg_ctl in a temporary folder, on a free
port), so a test can stop and restart the database mid-run. Never the shared one on 5432."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.live import free_port


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """`start()`, `stop()`, `restart()`; `url` is a SQLAlchemy asyncpg URL to database `harmwatch`."""

    def __init__(self, folder: Path) -> None:
        self.bin = _binaries()
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/harmwatch"
        # initdb refuses to run as root: the server then runs as the `postgres` account.
        self._as = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(folder, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=self.folder)

    def initialise(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "harmwatch")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def ensure_running(self) -> None:
        status = subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.folder)
        if status.returncode != 0:
            self.start()

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A migrated, running private server, removed afterwards; None when PostgreSQL is not installed."""
    from harmwatch import migrate

    folder = Path(tempfile.mkdtemp(prefix="harmwatch-pg-"))
    server = PrivatePostgres(folder)
    if server.bin is None:
        yield None
        return
    try:
        server.initialise()
        migrate.upgrade(server.url)
        yield server
    finally:
        try:
            server.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
