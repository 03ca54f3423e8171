"""A journal of five years of daily use (about 15,000 History entries), written fast, for the History and
report benchmarks.

Rows go in through the journal's own file (``Journal.open`` creates and migrates it) in one transaction of
plain INSERTs, shaped exactly as the app writes them (a session and its start and end events, pain stops
with symptoms and notes, ice and heat timers as start, phase and end events). Deterministic for a seed.

    python benchmarks/big_journal.py OUT.sqlite [YEARS] [LONG_NOTES]
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spasmcoach.core.journal import Journal  # noqa: E402
from spasmcoach.core.storage import format_time  # noqa: E402

ROUTINES = (
    ("lower-back-release", "Lower-back spasm release", ("Knee to chest", "Pelvic tilt", "Cat and cow")),
    ("acute-rest-positions", "Rest positions for a fresh spasm", ("Lying on your back", "Side lying")),
    ("hamstring-hip-stretches", "Hamstring, hip and calf stretches", ("Hamstring stretch with a towel",)),
    ("knot-release", "Knot release with thumb and ball", ("Ball against the wall",)),
    ("desk-break", "Desk break", ("Seated twist", "Standing back bend")),
)
PRESETS = (("ice-20", "cold"), ("heat-20", "heat"), ("ice-cycle", "cold"))
NOTES = ("Sharp twinge when I pulled the knee in", "Tingling down the left leg", "Worse after sitting", None)


def build(path: Path, *, years: float = 5.0, seed: int = 17, long_notes: int = 0) -> dict[str, int]:
    """Write the journal at ``path``; ``long_notes`` pain stops get a 5,000-character note. Returns counts."""
    rng = random.Random(seed)
    journal = Journal.open(path)
    counts = {"sessions": 0, "stops": 0, "timers": 0}
    start = datetime(2021, 11, 22, 7, tzinfo=UTC)
    days = int(365.25 * years)
    sessions: list[tuple[object, ...]] = []
    events: list[tuple[object, ...]] = []
    session_id = 0
    long_left = long_notes
    for day in range(days):
        base = start + timedelta(days=day)
        for _ in range(rng.choice((4, 5, 5, 6))):
            routine, title, steps = rng.choice(ROUTINES)
            t0 = base + timedelta(minutes=rng.randint(0, 14 * 60))
            t1 = t0 + timedelta(minutes=rng.randint(4, 15))
            before, after = rng.randint(2, 8), rng.randint(1, 7)
            session_id += 1
            stopped = rng.random() < 0.08
            outcome = "stopped" if stopped else "completed"
            sessions.append(
                (session_id, routine, title, format_time(t0), format_time(t1), outcome, before, after,
                 1 if stopped else 5, 5, "[]")  # fmt: skip
            )
            start_data = json.dumps({"title": title, "steps_total": 5, "left_out": []})
            events.append((format_time(t0), "session_start", session_id, routine, None, None, None, None,
                           before, "[]", None, start_data))  # fmt: skip
            if stopped:
                note = rng.choice(NOTES)
                if long_left > 0:
                    note, long_left = ("Long note. " * 500)[:5000], long_left - 1
                symptoms = json.dumps(rng.sample(["sharper", "tingling", "numbness"], rng.randint(0, 2)))
                events.append((format_time(t1), "pain_stop", session_id, routine, rng.choice(steps), "hold",
                               "left", 1, rng.randint(5, 9), symptoms, note, "{}"))  # fmt: skip
                counts["stops"] += 1
            end_data = json.dumps({"outcome": outcome, "steps_done": 5, "steps_total": 5})
            events.append((format_time(t1), "session_end", session_id, routine, None, None, None, None, after,
                           "[]", None, end_data))  # fmt: skip
            counts["sessions"] += 1
        for index in range(rng.choice((2, 3, 3))):
            preset, therapy = rng.choice(PRESETS)
            t0 = base + timedelta(hours=1 + index * 5, minutes=rng.randint(0, 50))
            data = {"preset": preset, "therapy": therapy, "phase": "on", "cycle": 1, "cycles": 1,
                    "timer": f"t{day}-{index}"}  # fmt: skip
            events.append((format_time(t0), "timer_start", None, None, None, None, None, None, None, "[]", None,
                           json.dumps({**data, "on": 1200.0, "off": None})))  # fmt: skip
            events.append((format_time(t0 + timedelta(minutes=20)), "timer_end", None, None, None, None, None, None,
                           None, "[]", None, json.dumps(data)))  # fmt: skip
            counts["timers"] += 1
    events.sort(key=lambda e: str(e[0]))
    with journal._write() as conn:  # one transaction: minutes through the public API, a second here
        conn.executemany(
            "INSERT INTO sessions (id, routine, title, started, ended, outcome, pain_before, pain_after, "
            "steps_done, steps_total, left_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sessions,
        )
        conn.executemany(
            "INSERT INTO events (time, type, session_id, routine, step, phase, side, rep, pain, symptoms, note, "
            "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
    journal.close()
    counts["entries"] = counts["sessions"] + counts["stops"] + counts["timers"]
    return counts


if __name__ == "__main__":
    out = Path(sys.argv[1])
    print(build(out, years=float(sys.argv[2]) if len(sys.argv) > 2 else 5.0,
                long_notes=int(sys.argv[3]) if len(sys.argv) > 3 else 0))  # fmt: skip
