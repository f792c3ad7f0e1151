"""Whether quote detection that began has finished: a process killed while detecting (an import,
`annotator detect`) leaves articles without their quotes, and the next start says so.

A settings row is written before detection begins and removed once every article has its
quotes; no schema change, and cheap to look up at every start.
"""

from __future__ import annotations

from annotator.core.store import Project, utc_now

DETECTION_PENDING = "detection_pending"  # a settings key: detection began and has not finished


def set_detection_pending(project: Project, pending: bool) -> None:
    """Note (or clear) that detection of some articles began and has not finished: a process
    killed meanwhile leaves articles without their quotes, and `detection_pending` says so later."""
    with project.write() as db:
        if pending:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [DETECTION_PENDING, utc_now()])
        else:
            db.execute("DELETE FROM settings WHERE key = ?", [DETECTION_PENDING])


def detection_pending(project: Project) -> str | None:
    """A sentence when detection was stopped before it finished (killed, cancelled), else None."""
    row = project.conn.execute("SELECT value FROM settings WHERE key = ?", [DETECTION_PENDING]).fetchone()
    if row is None:
        return None
    return (f"quote detection that began at {row[0]} did not finish, so some articles may lack their quotes: "
            f"run `annotator detect {project.path}` (what people checked is kept)")
