"""Files that only Harmwatch's own user may read (0600, folders 0700), whatever the umask: the
database, its WAL and SHM, media, their stripped copies and the secret key hold what can
identify a reporter or forge a session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Make the folder (and missing parents) 0700; one that exists is left as it is."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def write_new(path: Path, data: bytes) -> bool:
    """Write `path` whole, 0600 from its first instant, unless it exists; False then. The bytes go
    to a private temporary file first and are linked into place at once: another process sees
    no file or the whole file, never a half-written one."""
    private_folder(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # O_EXCL, 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


def replace_with(path: Path, data: bytes) -> None:
    """Write `path` whole (0600), replacing what is there in one step."""
    private_folder(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def private_sqlite(url: str) -> None:
    """Create an SQLite database's file 0600 before SQLite does (it would follow the umask);
    SQLite gives its -wal and -shm files the database file's mode."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    if parsed.database.startswith("file:") or parsed.query.get("mode") == "memory":
        return
    path = Path(parsed.database)
    if path.exists():
        return
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:  # another process made it meanwhile
        pass
