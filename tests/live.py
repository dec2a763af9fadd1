"""Real servers on a free port for tests that go through HTTP and a browser: the app and its bot
served by uvicorn in a thread of the test process (`serve_here`), and a real `harmwatch serve`
process (`serve`, `running`) for the tests of the process itself and for benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from harmwatch.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "test-secret-key-not-for-production"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    """A running `harmwatch serve`: its base URL, the process and the file its output goes to."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM, as systemd or Ctrl+C would; returns the exit status (killed: not clean)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def environment(database_url: str, data_dir: Path, **env: str) -> dict[str, str]:
    """The variables of a `harmwatch` process on this database; keywords become HARMWATCH_<NAME>."""
    return {
        **os.environ,
        "HARMWATCH_DATABASE_URL": database_url,
        "HARMWATCH_SECRET_KEY": SECRET_KEY,
        "HARMWATCH_DATA_DIR": str(data_dir),
        "HARMWATCH_MEDIA_DIR": str(data_dir / "media"),
        "HARMWATCH_PASSWORD_HASH_PROFILE": "test",  # cheap argon2id: the tests' accounts are not real
        **{f"HARMWATCH_{k.upper()}": v for k, v in env.items()},
    }


@contextmanager
def serve_here(settings: Settings, *, sock: socket.socket | None = None) -> Iterator[str]:
    """What `harmwatch serve` runs (the app, its bot, the sandbox when there is no token), over
    real HTTP by uvicorn in a thread: no process to start, and the test's own settings.
    `sock`: bot.sandbox.background.bound_socket(), when the settings must name the port."""
    from api.main import create_app
    from api.routes.telegram import stop_bot
    from bot.sandbox.background import bound_socket, serve_in_thread

    sock = sock or bound_socket()
    app = create_app(settings, port=sock.getsockname()[1], with_bot=True)
    with serve_in_thread(app, sock=sock, before_shutdown=lambda: stop_bot(app), startup_timeout=60) as url:
        yield url


@contextmanager
def running(database_url: str, data_dir: Path, *, port: int | None = None, **env: str) -> Iterator[Served]:
    """Start `harmwatch serve` with these settings, wait until it answers, stop it afterwards."""
    port = port or free_port()
    log_path = data_dir / f"serve-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "harmwatch.cli", "serve", "--port", str(port)],
            cwd=ROOT, env=environment(database_url, data_dir, **env), stdout=log, stderr=subprocess.STDOUT,
        )
        served = Served(f"http://127.0.0.1:{port}", process, log_path)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"harmwatch serve exited: {served.log()[-3000:]}")
                try:
                    if httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("harmwatch serve did not start in 60 s")
                time.sleep(0.05)
            yield served
        finally:
            served.stop()


@contextmanager
def serve(database_url: str, data_dir: Path, *, port: int | None = None, **env: str) -> Iterator[str]:
    """Start `harmwatch serve` with these settings; yield its base URL; stop it afterwards.
    Extra keyword arguments become HARMWATCH_<NAME> variables."""
    with running(database_url, data_dir, port=port, **env) as served:
        yield served.url
