"""`harmwatch` commands run in this process by Typer's test runner: the same command tree, option
parsing, exit codes and output as the installed command, without starting Python for each call
(about 1 s of CPU each). What only a process can show — `python -m harmwatch.cli`, the console
script of the wheel, signals, the exit of `serve` — is tested on real processes, in
tests/test_cli.py, tests/test_packaging.py and through tests.live."""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from tests.live import environment


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


def _forget_settings() -> None:
    """Each call reads its environment afresh, as a new process would, and leaves none behind."""
    from harmwatch import deployment
    from harmwatch.settings import get_settings

    get_settings.cache_clear()
    deployment.current.cache_clear()
    deployment.DEFAULT.activate()


def _invoke(args: list[str], stdin: str | None, env: dict[str, str]) -> Ran:
    from harmwatch.cli import app

    _forget_settings()
    try:
        result = CliRunner().invoke(app, args, input=stdin, env=env, catch_exceptions=False)
    finally:
        _forget_settings()
    return Ran(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


def harmwatch(database_url: str, data_dir: Path, *args: str, stdin: str | None = None, **env: str) -> Ran:
    """Run `harmwatch ARGS` on this database; keywords become HARMWATCH_<NAME> variables. In a
    thread of its own: the commands run their own event loop (asyncio.run), and the calling test
    may be inside one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_invoke, list(args), stdin, environment(database_url, data_dir, **env)).result()
