"""A real `harmwatch serve` process on a free port, for tests that go through HTTP and a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(database_url: str, data_dir: Path, *, port: int | None = None, **env: str) -> Iterator[str]:
    """Start `harmwatch serve` with these settings; yield its base URL; stop it afterwards.
    Extra keyword arguments become HARMWATCH_<NAME> variables."""
    port = port or free_port()
    environment = {
        **os.environ,
        "HARMWATCH_DATABASE_URL": database_url,
        "HARMWATCH_SECRET_KEY": "test-secret-key-not-for-production",
        "HARMWATCH_DATA_DIR": str(data_dir),
        "HARMWATCH_MEDIA_DIR": str(data_dir / "media"),
        **{f"HARMWATCH_{k.upper()}": v for k, v in env.items()},
    }
    log = open(data_dir / f"serve-{port}.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "harmwatch.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"harmwatch serve exited: {(data_dir / f'serve-{port}.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("harmwatch serve did not start in 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
