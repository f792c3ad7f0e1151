"""Rolling backups of a project file in a folder beside it (`study.db.backups/`), made with SQLite's
backup API so a copy taken while someone writes is still a consistent project.

A copy is taken before every migration and merge and on the first open of each day (store.py calls
`backup_if_due`); the newest few of each kind are kept. `restore_backup` puts one back, after saving
what it replaces, and refuses while another program has the project open.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from annotator.core.store import Project, ProjectError, check_project_file, damage, read_only_uri

KEEP = 5  # newest copies kept per kind; a project's `settings` row 'backup_keep' overrides it
_STAMP = "%Y-%m-%dT%H-%M-%S.%fZ"
_NAME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}Z)_([a-z0-9-]+)\.db$")


@dataclass(frozen=True)
class Backup:
    """One copy in a project's backup folder."""

    path: Path
    kind: str  # daily | migration | merge | restore | manual ...
    time: datetime  # UTC

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def describe(self) -> str:
        local = self.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"{self.name}\t{self.kind}\t{local}\t{self.size / 1e6:.1f} MB"


def backup_dir(project_path: str | Path) -> Path:
    path = Path(project_path)
    return path.with_name(path.name + ".backups")


def _kind(reason: str) -> str:
    kind = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-")[:40]
    return kind or "manual"


def list_backups(project_path: str | Path) -> list[Backup]:
    """The backups of a project, newest first (an empty list when there are none)."""
    folder = backup_dir(project_path)
    found = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = _NAME.match(entry.name)
            if match and entry.is_file():
                stamp = datetime.strptime(match[1], _STAMP).replace(tzinfo=timezone.utc)
                found.append(Backup(entry, match[2], stamp))
    return sorted(found, key=lambda b: b.name, reverse=True)


def _keep_setting(path: Path) -> int | None:
    with contextlib.suppress(sqlite3.Error, ValueError, TypeError):
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'backup_keep'").fetchone()
        finally:
            conn.close()
        return max(1, int(row[0])) if row else None
    return None


def backup_project(project: Project | str | Path, reason: str, keep: int | None = None) -> Path:
    """Copy the project's committed state into its backup folder; returns the copy's path.

    The copy is checked (quick_check) before it counts, so a damaged file never pushes good copies
    out. Raises ProjectError when the file is damaged or the copy cannot be written.
    """
    path = Path(project.path if isinstance(project, Project) else project)
    kind = _kind(reason)
    folder = backup_dir(path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot make the backup folder {folder} ({exc.strerror or exc})") from exc
    _remove_stale_temporaries(folder)
    while True:
        name = f"{datetime.now(timezone.utc).strftime(_STAMP)}_{kind}.db"
        if not (folder / name).exists():
            break
    final = folder / name
    tmp = folder / f".{name}.tmp-{os.getpid()}"
    try:
        _copy_database(path, tmp)
        check = damage(tmp)
        if check is not None:
            raise ProjectError(f"{path}: the file is damaged ({check}); no backup was made. "
                               f"Restore an earlier copy with `annotator restore {path}`")
        os.replace(tmp, final)
        _fsync_dir(folder)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: no backup could be made ({exc})") from exc
    except OSError as exc:
        raise ProjectError(f"{path}: no backup could be made in {folder} ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    _prune(path, kind, keep or _keep_setting(path) or KEEP)
    return final


def _copy_database(source: Path, target: Path) -> None:
    """A consistent single-file copy (no -wal beside it), made page by page by SQLite, synced to disk."""
    src = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temporaries(folder: Path) -> None:
    """Half-written copies left by a process that was killed while copying (and their -journal)."""
    for entry in folder.glob(".*.tmp-*"):
        found = re.search(r"\.tmp-(\d+)(-journal|-wal|-shm)?$", entry.name)
        pid = found[1] if found else ""
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                entry.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _prune(path: Path, kind: str, keep: int) -> None:
    for old in [b for b in list_backups(path) if b.kind == kind][keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def daily_backup_due(project_path: str | Path, today: date | None = None) -> bool:
    """True when no copy of the project was taken today (local time)."""
    today = today or datetime.now().astimezone().date()
    return not any(b.time.astimezone().date() == today for b in list_backups(project_path))


# --- restoring ------------------------------------------------------------------------------------


def find_backup(project_path: str | Path, name: str) -> Path:
    """A backup named by its file name (as `list_backups` shows it) or by a path; ProjectError if none."""
    direct = Path(name).expanduser()
    if direct.is_file() and (os.sep in name or not (backup_dir(project_path) / name).exists()):
        return direct
    candidate = backup_dir(project_path) / Path(name).name
    if candidate.is_file():
        return candidate
    names = [b.name for b in list_backups(project_path)[:5]]
    hint = f"; the newest are: {', '.join(names)}" if names else "; there are no backups of this project"
    raise ProjectError(f"{project_path}: no backup named {name!r}{hint}")


def restore_backup(project_path: str | Path, backup_path: str | Path) -> Path | None:
    """Replace the project file with a backup; returns where the replaced file was saved (None if there
    was none). Refuses (ProjectError) while another program has the project open, or when the backup
    is not a sound project. The swap is atomic: the copy is written beside the project, then renamed."""
    project_path = Path(project_path).expanduser()
    backup_path = Path(backup_path).expanduser()
    if check_project_file(backup_path) != "project":
        raise ProjectError(f"{backup_path}: not a project backup (the file is empty)")
    check = damage(backup_path)
    if check is not None:
        raise ProjectError(f"{backup_path}: the backup is damaged ({check}); choose another one")
    saved = None
    if project_path.exists():
        _refuse_if_open(project_path)
        saved = _save_current(project_path)
        _close_write_ahead_log(project_path)
    tmp = project_path.with_name(f".{project_path.name}.restore-{os.getpid()}")
    try:
        _copy_database(backup_path, tmp)
        for sidecar in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                project_path.with_name(project_path.name + sidecar).unlink()
        os.replace(tmp, project_path)
        _fsync_dir(project_path.parent)
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(f"{project_path}: the backup could not be put back ({exc}); "
                           f"the project file is as it was") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return saved


def _refuse_if_open(path: Path) -> None:
    """SQLite keeps a shared lock on a WAL project while any connection has it open; an exclusive
    lock taken without waiting therefore fails exactly when another program holds it."""
    try:
        conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ProjectError(
                f"{path}: the project is open in another program (the annotator window, an import or a "
                f"merge); close it and try again. Nothing was changed."
            ) from exc
    except sqlite3.DatabaseError:
        pass  # a damaged file: nothing can have it open as a project
    finally:
        conn.close()


def _save_current(path: Path) -> Path:
    """A copy of the file about to be replaced: by the backup API, or byte for byte when it is damaged."""
    try:
        return backup_project(path, "restore")
    except ProjectError:
        folder = backup_dir(path)
        target = folder / f"{datetime.now(timezone.utc).strftime(_STAMP)}_damaged.db"
        try:
            folder.mkdir(exist_ok=True)
            shutil.copy2(path, target)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                shutil.copy2(wal, target.with_name(target.name + "-wal"))
        except OSError as exc:
            raise ProjectError(f"{path}: the current file could not be saved before restoring "
                               f"({exc.strerror or exc}); nothing was changed") from exc
        return target


def _close_write_ahead_log(path: Path) -> None:
    """Fold the -wal file into the project and remove it, so no stale log is applied to the restored file."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
