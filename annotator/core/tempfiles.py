"""Files written whole or not at all: a temporary file beside the target, renamed over it when
complete; what a killed run left behind is removed by the next run that writes the same target.

The temporary's name carries the writer's process id (`.labels.csv.4711.part`, and parts of it
`.labels.csv.4711.part.1`), so a leftover is told from the file of a run still going.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (on Windows, where no signal 0 exists: assumed so)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def temporary_beside(target: Path) -> Path:
    """Where to write `target` before renaming it: hidden, beside it, named for this process."""
    return target.with_name(f".{target.name}.{os.getpid()}.part")


def remove_leftovers(target: Path) -> list[Path]:
    """Delete the temporaries of `target` whose writer is gone; returns them."""
    pattern = re.compile(re.escape(f".{target.name}.") + r"(\d+)\.part(\.\d+)?$")
    removed = []
    with contextlib.suppress(OSError):
        for entry in target.parent.glob(f".{glob_escape(target.name)}.*.part*"):
            found = pattern.match(entry.name)
            if found and int(found[1]) != os.getpid() and not pid_alive(int(found[1])):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)
