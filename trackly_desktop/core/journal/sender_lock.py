"""One sender per campaign, across processes and on every OS: a lock file held open.

The process sending a campaign holds `<journal>.campaign-<id>.lock` locked for as long as
it sends (flock on Linux and macOS, msvcrt's byte-range lock on Windows, through
`filelock`). The OS drops the lock when the process ends, however it ends: a killed
sender's lock file stays on disk, unlocked, and never blocks a resume. This replaces a
pid liveness probe: on Windows `os.kill(pid, 0)` sends CTRL_C_EVENT instead of probing,
and everywhere a pid can be reused by another program after the sender died.

Lock files are kept after use (one empty file per campaign sent, beside the journal):
deleting one while another process has it open would let two senders lock two different
files of the same name.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


def lock_path(journal_path: Path | str, campaign_id: int) -> Path:
    journal = Path(journal_path)
    return journal.with_name(f"{journal.name}.campaign-{campaign_id}.lock")


def _file_lock(path: Path) -> FileLock:
    # No soft fallback: a plain "the file exists" lock would survive a killed sender.
    return FileLock(path, timeout=0, thread_local=False, fallback_to_soft=False)


class SenderLock:
    """This process's claim on one campaign; `acquire` is False when another holds it."""

    def __init__(self, journal_path: Path | str, campaign_id: int) -> None:
        self.path = lock_path(journal_path, campaign_id)
        self._lock = _file_lock(self.path)

    def acquire(self) -> bool:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()


def is_being_sent(journal_path: Path | str, campaign_id: int) -> bool:
    """Does some process (this one included) hold the campaign's lock right now?"""
    path = lock_path(journal_path, campaign_id)
    if not path.exists():
        return False
    probe = SenderLock(journal_path, campaign_id)
    if not probe.acquire():
        return True
    probe.release()
    return False
