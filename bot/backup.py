"""`tuanbot backup`: a consistent copy of the database while the bot keeps running.

SQLite is copied with its online backup API, page by page, so a copy taken while the bot writes
is still one consistent state. PostgreSQL is dumped with `pg_dump` (custom format, for
`pg_restore`), which reads one consistent snapshot.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup could not be written; the message says why."""


def backup(database_url: str, out: Path) -> Path:
    url = make_url(database_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or not Path(url.database).is_file():
            raise BackupError(f"no SQLite file at {url.database!r}")
        _backup_sqlite(Path(url.database), out)
    elif url.get_backend_name() == "postgresql":
        _dump_postgres(url.set(drivername="postgresql").render_as_string(hide_password=False), out)
    else:
        raise BackupError(f"cannot back up a {url.get_backend_name()} database")
    return out


def _backup_sqlite(source: Path, out: Path) -> None:
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)
    partial.replace(out)


def _dump_postgres(libpq_url: str, out: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={out}", f"--dbname={libpq_url}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        # pg_dump's message names the problem; the URL (and any password in it) is not repeated.
        raise BackupError(
            result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "pg_dump failed"
        )
