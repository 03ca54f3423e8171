"""Crash safety: a writer process is killed with SIGKILL at random moments, over and over, on one file.

Everything the writer reported as written (it reports only after a write returned, i.e. committed) must
still be there, multi-row writes must be all-or-nothing, and the file must pass ``integrity_check`` and
open normally. The run is reproducible up to process timing: set SPASMCOACH_CRASH_SEED to replay a seed.
"""

from __future__ import annotations

import os
import queue
import random
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from spasmcoach.core.journal import Journal

SEED = int(os.environ.get("SPASMCOACH_CRASH_SEED", "20261121"))
ROUNDS = 120
LINE_TIMEOUT_S = 30.0
WRITER = Path(__file__).with_name("journal_writer.py")


@dataclass
class Reported:
    """Everything writers said they committed, across all rounds."""

    events: list[int] = field(default_factory=list)
    sessions: dict[int, int] = field(default_factory=dict)  # session id -> session_start event id
    pains: dict[int, int] = field(default_factory=dict)  # event id -> pain set by update_event
    ended: dict[int, int] = field(default_factory=dict)  # session id -> session_end event id

    def add(self, line: str) -> None:
        """Take in one complete line of writer output."""
        kind, *numbers = line.split()
        values = [int(n) for n in numbers]
        if kind == "E":
            self.events.append(values[0])
        elif kind == "S":
            self.sessions[values[0]] = values[1]
            self.events.append(values[1])
        elif kind == "U":
            self.pains[values[0]] = values[1]
        elif kind == "X":
            self.ended[values[0]] = values[1]
            self.events.append(values[1])
        else:
            raise AssertionError(f"unexpected writer output {line!r}")


class Writer:
    """One journal_writer.py process whose stdout lines arrive on a queue (read by a thread, no polling)."""

    def __init__(self, path: Path, seed: int, stderr: IO[bytes]) -> None:
        """Start the writer process and the thread that reads its output."""
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(seed)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        """Move complete lines from the pipe to the queue; None marks the end of output."""
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if raw.endswith(b"\n"):  # a line cut short by the kill is not a report
                self.lines.put(raw.decode())
        self.lines.put(None)

    def next_line(self) -> str | None:
        """The next line (blocking on the pipe), or None if the writer exited."""
        return self.lines.get(timeout=LINE_TIMEOUT_S)

    def kill(self) -> list[str]:
        """SIGKILL the writer, reap it, and return the lines it printed that were not read yet."""
        self.proc.kill()
        self.proc.wait()
        self.thread.join(LINE_TIMEOUT_S)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        rest: list[str] = []
        while (line := self.lines.get(timeout=LINE_TIMEOUT_S)) is not None:
            rest.append(line)
        return rest


def check(path: Path, reported: Reported, where: str) -> None:
    """Assert that every reported write is in the file, writes were atomic and the file is sound."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], where
        events = {row[0]: row[1:] for row in conn.execute("SELECT id, type, session_id, pain FROM events")}
        sessions = {row[0]: row[1:] for row in conn.execute("SELECT id, ended, outcome FROM sessions")}
    finally:
        conn.close()

    assert len(set(reported.events)) == len(reported.events), f"an id was reported twice; {where}"
    missing = sorted(set(reported.events) - set(events))
    assert not missing, f"committed events lost: {missing[:20]}; {where}"
    for session_id, start_id in reported.sessions.items():
        assert session_id in sessions, f"committed session {session_id} lost; {where}"
        assert events[start_id][:2] == ("session_start", session_id), where
    for event_id, pain in reported.pains.items():
        assert events[event_id][2] == pain, f"committed update of event {event_id} lost; {where}"
    for session_id, end_id in reported.ended.items():
        assert sessions[session_id][1] == "stopped", f"committed end of session {session_id} lost; {where}"
        assert events[end_id][:2] == ("session_end", session_id), where

    # All-or-nothing: a session row exists exactly with its start event, and is ended exactly with its end.
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for kind, session_id, _pain in events.values():
        if kind == "session_start":
            starts[session_id] = starts.get(session_id, 0) + 1
        elif kind == "session_end":
            ends[session_id] = ends.get(session_id, 0) + 1
    for session_id, (ended, outcome) in sessions.items():
        assert starts.get(session_id) == 1, f"session {session_id} without exactly one start; {where}"
        expected_ends = 0 if ended is None else 1
        assert ends.get(session_id, 0) == expected_ends, f"session {session_id} half-ended; {where}"
        assert (ended is None) == (outcome is None), where
    assert set(starts) <= set(sessions), where


def test_committed_events_survive_sigkill(tmp_path: Path) -> None:
    print(f"journal crash test seed: {SEED} (replay with SPASMCOACH_CRASH_SEED={SEED})")
    rng = random.Random(SEED)
    path = tmp_path / "journal.sqlite3"
    reported = Reported()
    stderr_path = tmp_path / "writer-stderr.txt"
    kills_mid_run = 0
    with open(stderr_path, "wb") as stderr:
        for round_number in range(ROUNDS):
            where = f"seed={SEED} round={round_number}"
            writer = Writer(path, rng.randrange(2**32), stderr)
            try:
                # One round in ten kills at once: before or during start-up and opening.
                wanted = 0 if rng.random() < 0.1 else rng.randint(1, 20)
                for _ in range(wanted):
                    line = writer.next_line()
                    if line is None:
                        stderr.flush()
                        raise AssertionError(
                            f"writer exited by itself ({where}): {stderr_path.read_text(errors='replace')}"
                        )
                    reported.add(line)
                # Let the writer run on for a random sliver (no sleeping): usually lands mid-transaction.
                for _ in range(rng.randrange(3000)):
                    if writer.proc.poll() is not None:
                        break
                if wanted:
                    kills_mid_run += 1
            finally:
                for line in writer.kill():
                    reported.add(line)
            if round_number % 30 == 29:
                check(path, reported, where)

    where = f"seed={SEED} after {ROUNDS} rounds"
    assert kills_mid_run >= ROUNDS // 2, where
    assert len(reported.events) > ROUNDS, where
    check(path, reported, where)
    with Journal.open(path) as journal:
        assert journal.recovered_from is None, where
        stored = {event.id for event in journal.events(include_deleted=True)}
        assert set(reported.events) <= stored, where
        journal.record("episode_start")  # still writable
    assert not list(tmp_path.glob("*.corrupt-*")), where
