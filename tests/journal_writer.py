"""Crash-test helper: writes to a journal in an endless loop and reports each write once it has returned.

Run as ``python journal_writer.py JOURNAL_PATH SEED``. Every stdout line is printed (and flushed) only after
the write it describes returned, i.e. after COMMIT, so the test can kill this process at any moment and then
check that everything reported is in the file:

    E <event id>                  an event was recorded
    S <session id> <event id>     a session and its session_start event were recorded
    U <event id> <pain>           an event's pain was updated to <pain>
    X <session id> <event id>     a session was ended 'stopped' with that session_end event
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from spasmcoach.core.journal import Journal


def report(*fields: object) -> None:
    """Print one line and flush it at once, so the test sees it even if we are killed right after."""
    sys.stdout.write(" ".join(str(f) for f in fields) + "\n")
    sys.stdout.flush()


def pain_for(event_id: int) -> int:
    """The deterministic pain value the writer sets on an event, so the test can check it."""
    return event_id % 11


def main(argv: list[str]) -> int:
    """Write forever (until killed) a mix of the journal's write operations."""
    path, seed = Path(argv[1]), int(argv[2])
    rng = random.Random(seed)
    journal = Journal.open(path)
    if journal.recovered_from is not None:
        print(f"journal was recovered from {journal.recovered_from}", file=sys.stderr)
        return 3
    while True:
        action = rng.random()
        if action < 0.5:
            event_id = journal.record(
                rng.choice(["timer_start", "timer_phase", "timer_end", "pain_increase"]),
                routine="ice",
                pain=rng.choice([None, rng.randint(0, 10)]),
                note="x" * rng.randint(0, 300),
                data={"preset": "ice-15", "cycle": rng.randint(1, 3)},
            )
            report("E", event_id)
        else:
            session_id = journal.start_session(
                "lower-back", "Lower back", pain_before=rng.randint(0, 10), steps_total=5, left_out=["cobra"]
            )
            start_event = journal.events(session_id=session_id, types=["session_start"])[0].id
            report("S", session_id, start_event)
            stop_id = journal.record_pain_stop(
                session_id,
                routine="lower-back",
                step="knee-to-chest",
                phase="hold",
                side="left",
                rep=1,
                seconds=rng.random() * 30,
            )
            report("E", stop_id)
            journal.update_event(stop_id, pain=pain_for(stop_id), symptoms=["sharp"], note="worse")
            report("U", stop_id, pain_for(stop_id))
            end_id = journal.end_session(session_id, outcome="stopped", steps_done=1)
            report("X", session_id, end_id)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
