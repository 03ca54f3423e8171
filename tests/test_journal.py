"""Tests for the journal: schema and migrations, durability settings, sessions, pain stops, soft delete,
recovery from damaged files and plain errors for a wrong environment."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcoach.core import paths
from spasmcoach.core.journal import (
    APPLICATION_ID,
    Event,
    Journal,
    JournalError,
    Session,
    event_to_json,
    schema_version,
    session_to_json,
)
from spasmcoach.core.journal import schema as journal_schema

T0 = datetime(2026, 11, 21, 14, 35, 2, 123000, tzinfo=UTC)
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00\Z")


def at(minutes: float) -> datetime:
    """T0 plus some minutes."""
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def journal() -> Iterator[Journal]:
    """A journal at the default path in the test's own SPASMCOACH_HOME, closed afterwards."""
    opened = Journal.open()
    try:
        yield opened
    finally:
        opened.close()


def raw(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` read through a separate plain sqlite3 connection."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the user-data tables, for "nothing else changed" checks."""
    return {table: raw(path, f"SELECT * FROM {table} ORDER BY id") for table in ("sessions", "events")}


def stop(j: Journal, session_id: int | None, routine: str = "lower-back", minutes: float = 1.0) -> int:
    """Record a typical pain stop."""
    return j.record_pain_stop(
        session_id,
        routine=routine,
        step="knee-to-chest",
        phase="hold",
        side="left",
        rep=2,
        seconds=7.25,
        now=at(minutes),
    )


# -- schema, settings and migrations --


def test_open_creates_folder_and_file_at_default_path(spasmcoach_home: Path) -> None:
    assert not spasmcoach_home.exists()
    with Journal.open() as j:
        assert j.path == paths.journal_path()
        assert j.path.is_file()
        assert j.recovered_from is None
    assert raw(j.path, "PRAGMA user_version") == [(schema_version(),)]
    assert raw(j.path, "PRAGMA application_id") == [(APPLICATION_ID,)]


def test_open_accepts_an_injected_path(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "deeper" / "my.sqlite3"
    with Journal.open(target) as j:
        j.record("episode_start")
        assert j.path == target
    assert raw(target, "SELECT type FROM events") == [("episode_start",)]
    assert not paths.journal_path().exists()


def test_durability_pragmas_are_in_effect(journal: Journal) -> None:
    conn = journal._conn
    assert conn is not None
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    # Short: a write never keeps the window waiting; one that cannot start goes to the outbox instead.
    assert 1 <= conn.execute("PRAGMA busy_timeout").fetchone()[0] <= 50
    # WAL is a property of the file, so a fresh connection sees it too.
    assert raw(journal.path, "PRAGMA journal_mode") == [("wal",)]


def test_reopening_keeps_data_and_version(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        event_id = j.record("timer_start", data={"preset": "ice-15"}, now=T0)
    with Journal.open(target) as j:
        assert [e.id for e in j.events()] == [event_id]
        assert j.recovered_from is None
    assert raw(target, "PRAGMA user_version") == [(schema_version(),)]


def test_empty_file_is_treated_as_a_new_journal(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    target.write_bytes(b"")
    with Journal.open(target) as j:
        assert j.recovered_from is None
        j.record("episode_start")
    assert raw(target, "PRAGMA user_version") == [(schema_version(),)]


def test_old_version_file_is_migrated_in_place_and_backed_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        session_id = j.start_session("lower-back", "Lower back", pain_before=6, now=T0)
        event_id = stop(j, session_id)
    old_rows = snapshot(target)
    old_version = schema_version()

    def add_mood(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE events ADD COLUMN mood TEXT")
        conn.execute("UPDATE events SET mood = 'unknown'")

    monkeypatch.setattr(journal_schema, "MIGRATIONS", [*journal_schema.MIGRATIONS, add_mood])
    assert schema_version() == old_version + 1
    with Journal.open(target) as j:
        assert j.recovered_from is None
        assert j.session(session_id) is not None
        assert [e.id for e in j.events()] == [old_rows["events"][0][0], event_id]
    assert raw(target, "PRAGMA user_version") == [(old_version + 1,)]
    assert raw(target, "SELECT DISTINCT mood FROM events") == [("unknown",)]
    backup = target.with_name(f"{target.name}.v{old_version}-backup")
    assert raw(backup, "PRAGMA user_version") == [(old_version,)]
    assert snapshot(backup) == old_rows


def test_failed_migration_leaves_the_file_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        j.record("episode_start", now=T0)
    before = snapshot(target)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE events ADD COLUMN mood TEXT")
        conn.execute("SELECT no_such_column FROM events")

    monkeypatch.setattr(journal_schema, "MIGRATIONS", [*journal_schema.MIGRATIONS, broken])
    with pytest.raises(JournalError, match="has not been changed"):
        Journal.open(target)
    monkeypatch.undo()
    assert raw(target, "PRAGMA user_version") == [(schema_version(),)]
    assert "mood" not in {row[1] for row in raw(target, "PRAGMA table_info(events)")}
    assert snapshot(target) == before
    with Journal.open(target) as j:
        assert j.recovered_from is None


def test_newer_version_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        j.record("episode_start")
    newer = schema_version() + 1
    raw(target, f"PRAGMA user_version = {newer}")
    content = target.read_bytes()
    with pytest.raises(JournalError) as caught:
        Journal.open(target)
    message = str(caught.value)
    assert str(target) in message
    assert "newer" in message and "Update SpasmCoach" in message
    assert target.read_bytes() == content
    assert raw(target, "PRAGMA user_version") == [(newer,)]
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_sql_delete_of_user_rows_is_refused(journal: Journal) -> None:
    journal.record("episode_start")
    conn = journal._conn
    assert conn is not None
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM events")
    assert len(journal.events()) == 1


# -- sessions --


def test_session_lifecycle(journal: Journal) -> None:
    session_id = journal.start_session(
        "lower-back", "Lower back release", pain_before=6, steps_total=5, left_out=["cobra"], now=T0
    )
    running = journal.session(session_id)
    assert running == Session(
        id=session_id,
        routine="lower-back",
        title="Lower back release",
        started=T0,
        ended=None,
        outcome=None,
        pain_before=6,
        pain_after=None,
        steps_done=0,
        steps_total=5,
        left_out=("cobra",),
        deleted=False,
    )
    [start] = journal.events()
    assert (start.type, start.session_id, start.routine, start.time) == (
        "session_start",
        session_id,
        "lower-back",
        T0,
    )

    end_id = journal.end_session(session_id, outcome="completed", steps_done=5, now=at(12))
    journal.set_session_pain(session_id, after=3, now=at(13))
    done = journal.session(session_id)
    assert done is not None
    assert (done.ended, done.outcome, done.steps_done, done.pain_before, done.pain_after) == (
        at(12),
        "completed",
        5,
        6,
        3,
    )
    assert done.edited == at(13)
    events = journal.events()
    assert [(e.id, e.type) for e in events] == [(start.id, "session_start"), (end_id, "session_end")]
    assert events[1].data == {"outcome": "completed", "steps_done": 5, "steps_total": 5}
    assert journal.sessions() == [done]
    [change] = journal.history("session", session_id)
    assert (change.action, change.before) == ("update", {"pain_after": None})


def test_session_cannot_end_twice_or_be_unknown(journal: Journal) -> None:
    session_id = journal.start_session("neck", "Neck", now=T0)
    journal.end_session(session_id, outcome="stopped", steps_done=1, now=at(1))
    with pytest.raises(ValueError, match="already ended"):
        journal.end_session(session_id, outcome="completed", steps_done=3, now=at(2))
    with pytest.raises(LookupError):
        journal.end_session(999, outcome="completed", steps_done=0)
    with pytest.raises(ValueError, match="outcome"):
        journal.end_session(session_id, outcome="aborted", steps_done=0)
    session = journal.session(session_id)
    assert session is not None and session.outcome == "stopped" and session.steps_done == 1
    assert [e.type for e in journal.events()] == ["session_start", "session_end"]


def test_set_session_pain_changes_only_given_fields(journal: Journal) -> None:
    session_id = journal.start_session("neck", "Neck", pain_before=4, now=T0)
    journal.set_session_pain(session_id, after=2)
    journal.set_session_pain(session_id, before=5)
    session = journal.session(session_id)
    assert session is not None and (session.pain_before, session.pain_after) == (5, 2)
    journal.set_session_pain(session_id, after=None)
    session = journal.session(session_id)
    assert session is not None and (session.pain_before, session.pain_after) == (5, None)


def test_missing_session_is_none(journal: Journal) -> None:
    assert journal.session(42) is None


# -- pain stops and edits --


def test_pain_stop_then_update_changes_the_same_row(journal: Journal) -> None:
    session_id = journal.start_session("lower-back", "Lower back", now=T0)
    event_id = stop(journal, session_id)
    [stored] = journal.events(types=["pain_stop"])
    assert stored == Event(
        id=event_id,
        time=at(1),
        type="pain_stop",
        session_id=session_id,
        routine="lower-back",
        step="knee-to-chest",
        phase="hold",
        side="left",
        rep=2,
        seconds=7.25,
        pain=None,
        symptoms=(),
        note=None,
        data={},
        deleted=False,
        edited=None,
    )
    count = len(journal.events(include_deleted=True))

    journal.update_event(event_id, pain=7, symptoms=["sharp", "radiating"], now=at(2))
    journal.update_event(event_id, note="worse when bending", now=at(3))
    [updated] = journal.events(types=["pain_stop"])
    assert updated.id == event_id
    assert (updated.pain, updated.symptoms, updated.note) == (7, ("sharp", "radiating"), "worse when bending")
    assert (updated.step, updated.phase, updated.side, updated.rep, updated.seconds) == (
        "knee-to-chest",
        "hold",
        "left",
        2,
        7.25,
    )
    assert updated.time == at(1) and updated.edited == at(3)
    assert len(journal.events(include_deleted=True)) == count
    assert [(c.action, c.before) for c in journal.history("event", event_id)] == [
        ("update", {"pain": None, "symptoms": []}),
        ("update", {"note": None}),
    ]

    journal.update_event(event_id, pain=None)
    event = journal.event(event_id)
    assert event is not None and event.pain is None and event.note == "worse when bending"


def test_update_of_unknown_event_raises(journal: Journal) -> None:
    with pytest.raises(LookupError):
        journal.update_event(12345, pain=3)


def test_pain_stop_outside_a_session(journal: Journal) -> None:
    event_id = stop(journal, None)
    event = journal.event(event_id)
    assert event is not None and event.session_id is None and event.routine == "lower-back"


def test_pain_stop_for_unknown_session_is_refused(journal: Journal) -> None:
    with pytest.raises(LookupError):
        stop(journal, 77)
    assert journal.events(include_deleted=True) == []


def test_last_pain_stop(journal: Journal) -> None:
    assert journal.last_pain_stop("lower-back") is None
    completed = journal.start_session("lower-back", "A", now=T0)
    journal.end_session(completed, outcome="completed", steps_done=3, now=at(5))
    assert journal.last_pain_stop("lower-back") is None

    stopped = journal.start_session("lower-back", "B", now=at(10))
    stop(journal, stopped, minutes=11)
    assert journal.last_pain_stop("lower-back") is None  # still running, not ended "stopped"
    later_stop = stop(journal, stopped, minutes=12)
    journal.end_session(stopped, outcome="stopped", steps_done=1, now=at(12.5))
    found = journal.last_pain_stop("lower-back")
    assert found is not None and found.id == later_stop

    other = journal.start_session("neck", "N", now=at(20))
    journal.end_session(other, outcome="completed", steps_done=2, now=at(21))
    found = journal.last_pain_stop("lower-back")
    assert found is not None and found.id == later_stop  # another routine does not hide it
    assert journal.last_pain_stop("neck") is None

    newer = journal.start_session("lower-back", "C", now=at(30))
    journal.end_session(newer, outcome="completed", steps_done=3, now=at(35))
    assert journal.last_pain_stop("lower-back") is None  # the most recent session went fine

    journal.delete_session(newer)
    found = journal.last_pain_stop("lower-back")
    assert found is not None and found.id == later_stop


# -- filters --


def test_event_filters_and_order(journal: Journal) -> None:
    ids = {
        "c": journal.record("timer_start", routine="ice", now=at(30), data={"preset": "ice-15"}),
        "a": journal.record("episode_start", now=at(0)),
        "b": journal.record("pain_increase", routine="lower-back", pain=6, now=at(10)),
        "d": journal.record("timer_end", routine="ice", now=at(45)),
        "e": journal.record("pain_increase", routine="neck", pain=3, now=at(60)),
    }
    assert [e.id for e in journal.events()] == [ids[k] for k in "abcde"]  # oldest first, not insert order
    assert [e.id for e in journal.events(since=at(10))] == [ids[k] for k in "bcde"]
    assert [e.id for e in journal.events(until=at(30))] == [ids[k] for k in "ab"]
    assert [e.id for e in journal.events(since=at(10), until=at(45))] == [ids[k] for k in "bc"]
    assert [e.id for e in journal.events(types=["pain_increase"])] == [ids[k] for k in "be"]
    assert [e.id for e in journal.events(types={"timer_start", "timer_end"})] == [ids[k] for k in "cd"]
    assert journal.events(types=[]) == []
    assert [e.id for e in journal.events(routine="ice")] == [ids[k] for k in "cd"]
    assert [e.id for e in journal.events(routine="ice", since=at(40))] == [ids["d"]]
    assert [e.id for e in journal.events(limit=2)] == [ids[k] for k in "de"]  # the most recent two
    assert journal.events(limit=0) == []
    local = timezone(timedelta(hours=-5))
    assert [e.id for e in journal.events(since=at(45).astimezone(local))] == [ids[k] for k in "de"]


def test_session_filters(journal: Journal) -> None:
    a = journal.start_session("lower-back", "A", now=at(0))
    b = journal.start_session("neck", "B", now=at(10))
    c = journal.start_session("lower-back", "C", now=at(20))
    assert [s.id for s in journal.sessions()] == [a, b, c]
    assert [s.id for s in journal.sessions(routine="lower-back")] == [a, c]
    assert [s.id for s in journal.sessions(since=at(5))] == [b, c]
    assert [s.id for s in journal.sessions(until=at(20))] == [a, b]


def test_events_of_one_session(journal: Journal) -> None:
    first = journal.start_session("lower-back", "A", now=at(0))
    second = journal.start_session("lower-back", "B", now=at(1))
    stop(journal, second, minutes=2)
    assert [e.type for e in journal.events(session_id=second)] == ["session_start", "pain_stop"]
    assert [e.type for e in journal.events(session_id=first)] == ["session_start"]


# -- soft delete --


def test_delete_and_restore_event_touch_only_that_row(journal: Journal) -> None:
    keep_a = journal.record("episode_start", now=at(0))
    victim = journal.record("pain_increase", pain=5, note="after lifting", now=at(1))
    keep_b = journal.record("timer_start", now=at(2))
    before = snapshot(journal.path)

    journal.delete_event(victim, now=at(3))
    assert [e.id for e in journal.events()] == [keep_a, keep_b]
    everything = journal.events(include_deleted=True)
    assert [(e.id, e.deleted) for e in everything] == [(keep_a, False), (victim, True), (keep_b, False)]
    after = snapshot(journal.path)
    assert after["sessions"] == before["sessions"]
    assert [r for r in after["events"] if r[0] != victim] == [r for r in before["events"] if r[0] != victim]
    deleted = journal.event(victim)
    assert deleted is not None and deleted.pain == 5 and deleted.note == "after lifting"

    journal.delete_event(victim)  # idempotent
    journal.restore_event(victim, now=at(4))
    assert [e.id for e in journal.events()] == [keep_a, victim, keep_b]
    assert snapshot(journal.path) == before
    assert [c.action for c in journal.history("event", victim)] == ["delete", "restore"]
    with pytest.raises(LookupError):
        journal.delete_event(999)


def test_delete_and_restore_session(journal: Journal) -> None:
    kept = journal.start_session("neck", "Kept", now=at(0))
    gone = journal.start_session("neck", "Gone", now=at(1))
    gone_stop = stop(journal, gone, minutes=2)
    loose = journal.record("timer_start", now=at(3))
    before = snapshot(journal.path)

    journal.delete_session(gone)
    assert [s.id for s in journal.sessions()] == [kept]
    assert [s.id for s in journal.sessions(include_deleted=True)] == [kept, gone]
    session = journal.session(gone)
    assert session is not None and session.deleted
    # The session's events are hidden by default but untouched.
    assert gone_stop not in [e.id for e in journal.events()]
    assert loose in [e.id for e in journal.events()]
    assert gone_stop in [e.id for e in journal.events(include_deleted=True)]
    after = snapshot(journal.path)
    assert after["events"] == before["events"]
    assert [r for r in after["sessions"] if r[0] != gone] == [r for r in before["sessions"] if r[0] != gone]

    journal.restore_session(gone)
    assert snapshot(journal.path) == before
    assert gone_stop in [e.id for e in journal.events()]
    with pytest.raises(LookupError):
        journal.restore_session(999)


# -- validation --


@pytest.mark.parametrize("bad", [-1, 11, 3.5, True, "5", 100])
def test_invalid_pain_is_rejected_everywhere(journal: Journal, bad: Any) -> None:
    session_id = journal.start_session("neck", "N", now=T0)
    event_id = journal.record("pain_increase", pain=4, now=at(1))
    before = snapshot(journal.path)
    with pytest.raises(ValueError):
        journal.record("pain_increase", pain=bad)
    with pytest.raises(ValueError):
        journal.update_event(event_id, pain=bad)
    with pytest.raises(ValueError):
        journal.set_session_pain(session_id, before=bad)
    with pytest.raises(ValueError):
        journal.start_session("neck", "N", pain_before=bad)
    with pytest.raises(ValueError):
        journal.record_pain_stop(
            session_id, routine="neck", step="s", phase="hold", side=None, rep=None, seconds=1.0, pain=bad
        )
    assert snapshot(journal.path) == before


def test_pain_bounds_are_accepted(journal: Journal) -> None:
    assert journal.event(journal.record("pain_increase", pain=0)).pain == 0  # type: ignore[union-attr]
    assert journal.event(journal.record("pain_increase", pain=10)).pain == 10  # type: ignore[union-attr]


def test_naive_times_are_rejected(journal: Journal) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        journal.record("episode_start", now=datetime(2026, 11, 21, 14, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        journal.events(since=datetime(2026, 11, 21, 14, 0))


def test_times_are_stored_as_utc_iso_strings(journal: Journal) -> None:
    local = timezone(timedelta(hours=2))
    event_id = journal.record("episode_start", now=datetime(2026, 11, 21, 16, 35, 2, 123456, tzinfo=local))
    assert raw(journal.path, "SELECT time FROM events WHERE id = ?", (event_id,)) == [
        ("2026-11-21T14:35:02.123+00:00",)
    ]


@pytest.mark.parametrize("bad", ["Pain_Stop", "", "timer start", "1timer", "timer-start", None])
def test_event_type_must_be_a_lowercase_identifier(journal: Journal, bad: Any) -> None:
    with pytest.raises(ValueError, match="lowercase identifier"):
        journal.record(bad)


def test_other_bad_values_are_rejected(journal: Journal) -> None:
    with pytest.raises(ValueError):
        journal.record("timer_start", data={"when": datetime.now(UTC)})
    with pytest.raises(ValueError):
        journal.record("timer_start", data={"x": float("nan")})
    with pytest.raises(ValueError):
        journal.record("pain_increase", symptoms="sharp")  # a bare string is not a list of symptoms
    with pytest.raises(ValueError):
        journal.record("pain_stop", seconds=-1.0)
    with pytest.raises(ValueError):
        journal.start_session("neck", "N", steps_total=-2)
    with pytest.raises(ValueError):
        journal.start_session("neck", "N", left_out="cobra")
    assert journal.events(include_deleted=True) == []


def test_default_now_is_current_utc(journal: Journal) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    event = journal.event(journal.record("episode_start"))
    assert event is not None
    assert before <= event.time <= datetime.now(UTC) + timedelta(seconds=1)
    assert event.time.utcoffset() == timedelta(0)


# -- JSON --


def test_event_to_json_shape(journal: Journal) -> None:
    session_id = journal.start_session("lower-back", "Lower back", now=T0)
    event_id = stop(journal, session_id)
    journal.update_event(event_id, pain=7, symptoms=["sharp"], note="ouch", data={"cycle": 2}, now=at(2))
    event = journal.event(event_id)
    assert event is not None
    doc = event_to_json(event)
    assert json.loads(json.dumps(doc)) == doc
    assert doc == {
        "id": event_id,
        "time": "2026-11-21T14:36:02.123+00:00",
        "type": "pain_stop",
        "session_id": session_id,
        "routine": "lower-back",
        "step": "knee-to-chest",
        "phase": "hold",
        "side": "left",
        "rep": 2,
        "seconds": 7.25,
        "pain": 7,
        "symptoms": ["sharp"],
        "note": "ouch",
        "data": {"cycle": 2},
        "deleted": False,
        "edited": "2026-11-21T14:37:02.123+00:00",
    }
    assert ISO_UTC.match(doc["time"])
    assert datetime.fromisoformat(doc["time"]) == at(1)


def test_session_to_json_shape(journal: Journal) -> None:
    session = journal.session(journal.start_session("neck", "Neck", left_out=["chin tuck"], now=T0))
    assert session is not None
    doc = session_to_json(session)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["started"] == "2026-11-21T14:35:02.123+00:00" and doc["ended"] is None
    assert doc["left_out"] == ["chin tuck"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def test_free_text_round_trips(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:

        @settings(max_examples=60, deadline=None)
        @given(
            note=st.none() | st.text(),
            symptoms=st.lists(st.text(), max_size=5),
            data=st.dictionaries(st.text(), json_values, max_size=5),
        )
        def check(note: str | None, symptoms: list[str], data: dict[str, Any]) -> None:
            event = j.event(j.record("pain_increase", note=note, symptoms=symptoms, data=data))
            assert event is not None
            assert (event.note, event.symptoms, event.data) == (note, tuple(symptoms), data)

        check()


# -- damaged files --


def test_garbage_file_is_moved_aside_not_deleted(spasmcoach_home: Path) -> None:
    target = paths.journal_path()
    target.parent.mkdir(parents=True)
    garbage = bytes(random.Random(1).randrange(256) for _ in range(5000))
    target.write_bytes(garbage)
    target.with_name(target.name + "-wal").write_bytes(b"old wal bytes")
    with Journal.open() as j:
        moved = j.recovered_from
        assert moved is not None
        assert moved.parent == target.parent
        assert re.fullmatch(r"journal\.sqlite3\.corrupt-\d{8}T\d{6}(-\d+)?", moved.name)
        assert moved.read_bytes() == garbage
        assert moved.with_name(moved.name + "-wal").read_bytes() == b"old wal bytes"
        j.record("episode_start")  # the new journal works
        assert len(j.events()) == 1
    assert raw(target, "PRAGMA integrity_check") == [("ok",)]


def test_short_text_file_is_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    target.write_text("this is not a database\n")
    with Journal.open(target) as j:
        assert j.recovered_from is not None
        assert j.recovered_from.read_text() == "this is not a database\n"


def test_empty_file_with_a_write_ahead_log_is_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    target.write_bytes(b"")
    wal = target.with_name(target.name + "-wal")
    wal.write_bytes(b"frames that SQLite would delete")
    with Journal.open(target) as j:
        moved = j.recovered_from
        assert moved is not None and moved.read_bytes() == b""
    assert moved.with_name(moved.name + "-wal").read_bytes() == b"frames that SQLite would delete"


def test_damaged_pages_are_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        for i in range(300):
            j.record("pain_increase", pain=i % 11, note="x" * 200, now=at(i))
    assert not target.with_name(target.name + "-wal").exists()  # checkpointed on close
    page_size = raw(target, "PRAGMA page_size")[0][0]
    content = bytearray(target.read_bytes())
    rng = random.Random(2)
    for offset in range(page_size, len(content), page_size * 3):  # every third page after the first
        content[offset : offset + page_size] = bytes(rng.randrange(256) for _ in range(page_size))
    target.write_bytes(bytes(content))
    with Journal.open(target) as j:
        assert j.recovered_from is not None
        assert j.recovered_from.read_bytes() == bytes(content)
        assert j.events() == []


def test_foreign_sqlite_file_is_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    raw(target, "CREATE TABLE recipes (name TEXT)")
    raw(target, "INSERT INTO recipes VALUES ('soup')")
    with Journal.open(target) as j:
        moved = j.recovered_from
    assert moved is not None
    assert raw(moved, "SELECT name FROM recipes") == [("soup",)]


def test_foreign_sqlite_file_with_a_high_user_version_is_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    raw(target, "CREATE TABLE recipes (name TEXT)")
    raw(target, f"PRAGMA user_version = {schema_version() + 7}")
    with Journal.open(target) as j:
        moved = j.recovered_from
    assert moved is not None
    assert raw(moved, "PRAGMA user_version") == [(schema_version() + 7,)]


def test_repeated_recoveries_keep_every_file(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    moved: list[Path] = []
    for i in range(3):
        target.write_bytes(f"garbage number {i}".encode() * 100)
        with Journal.open(target) as j:
            assert j.recovered_from is not None
            moved.append(j.recovered_from)
    assert len(set(moved)) == 3
    assert [p.read_bytes() for p in moved] == [f"garbage number {i}".encode() * 100 for i in range(3)]


# -- wrong environment --


def test_read_only_folder_gives_journal_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("chmod does not stop this user from writing (running as root?)")
        with pytest.raises(JournalError) as caught:
            Journal.open(folder / "journal.sqlite3")
        assert str(folder) in str(caught.value) and "read-only" in str(caught.value)
        with pytest.raises(JournalError):
            Journal.open(folder / "sub" / "journal.sqlite3")
    finally:
        folder.chmod(0o755)


def test_read_only_file_gives_journal_error(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        j.record("episode_start")
    target.chmod(0o444)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("chmod does not stop this user from writing (running as root?)")
        with pytest.raises(JournalError, match="read-only"):
            Journal.open(target)
    finally:
        target.chmod(0o644)
    assert len(raw(target, "SELECT * FROM events")) == 1


def test_parent_that_is_a_file_gives_journal_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(JournalError, match="Cannot create the journal folder"):
        Journal.open(blocker / "journal.sqlite3")


def test_data_dir_that_is_a_file_gives_journal_error(spasmcoach_home: Path) -> None:
    spasmcoach_home.parent.mkdir(parents=True, exist_ok=True)
    spasmcoach_home.write_text("x")
    with pytest.raises(JournalError, match="data folder"):
        Journal.open()


def test_journal_path_that_is_a_folder_gives_journal_error(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    target.mkdir()
    with pytest.raises(JournalError, match="is a folder"):
        Journal.open(target)
    assert target.is_dir()


def test_full_disk_gives_journal_error_and_keeps_earlier_rows(journal: Journal) -> None:
    kept = journal.record("episode_start", now=T0)
    conn = journal._conn
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # simulate a full disk
    with pytest.raises(JournalError, match="full"):
        journal.record("pain_increase", note="x" * 200_000)
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert [e.id for e in journal.events()] == [kept]
    later = journal.record("pain_increase", pain=2, now=at(1))
    assert [e.id for e in journal.events()] == [kept, later]


def test_locked_journal_gives_journal_error(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as j:
        blocker = sqlite3.connect(str(target), isolation_level=None)
        try:
            blocker.execute("BEGIN IMMEDIATE")
            with pytest.raises(JournalError, match="another program"):
                j.record("episode_start")
            blocker.execute("ROLLBACK")
        finally:
            blocker.close()
        j.record("episode_start")
        assert len(j.events()) == 1


def test_closed_journal_refuses_use(tmp_path: Path) -> None:
    j = Journal.open(tmp_path / "j.sqlite3")
    j.close()
    j.close()
    with pytest.raises(RuntimeError, match="closed"):
        j.record("episode_start")


# -- sharing and speed --


def test_two_open_journals_share_the_file(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite3"
    with Journal.open(target) as gui, Journal.open(target) as cli:
        a = gui.record("timer_start", now=at(0))
        b = cli.record("timer_end", now=at(1))
        assert [e.id for e in gui.events()] == [a, b] == [e.id for e in cli.events()]


def test_pain_stop_write_is_fast(journal: Journal) -> None:
    session_id = journal.start_session("lower-back", "Lower back", now=T0)
    timings = []
    for _ in range(25):
        started = time.perf_counter()
        stop(journal, session_id)
        timings.append(time.perf_counter() - started)
    # A few milliseconds on a normal disk; the bound only catches gross regressions on slow CI disks.
    assert statistics.median(timings) < 0.1, timings


def test_journal_module_does_not_import_qt() -> None:
    code = (
        "import sys, spasmcoach.core.journal; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]; "
        "sys.exit(repr(bad) if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_pain_ratings_land_on_the_session_events_too(tmp_path: Path) -> None:
    """The start event carries pain before; a later rating updates the session_end record in place."""
    journal = Journal.open(tmp_path / "j.sqlite3")
    sid = journal.start_session("r", "R", pain_before=6)
    journal.end_session(sid, outcome="completed", steps_done=1)
    journal.set_session_pain(sid, after=3)
    start, end = journal.events(types=["session_start", "session_end"])
    assert (start.pain, end.pain) == (6, 3)
    session = journal.session(sid)
    assert end.edited is not None and session is not None and session.pain_after == 3
    journal.set_session_pain(sid, before=5)
    assert journal.events(types=["session_start"])[0].pain == 5
    journal.close()


def test_a_format_1_journal_gains_keys_and_keeps_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Format 2 adds the write keys (exactly-once replays); the rows written before keep a NULL key."""
    target = tmp_path / "j.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr(journal_schema, "MIGRATIONS", journal_schema.MIGRATIONS[:1])
        Journal.open(target).close()
        assert raw(target, "PRAGMA user_version") == [(1,)]
    time_text = "2026-11-21T14:35:02.123+00:00"
    raw(target, "INSERT INTO sessions (routine, title, started) VALUES ('lower-back', 'Lower back', ?)", (time_text,))
    raw(target, "INSERT INTO events (time, type, session_id) VALUES (?, 'session_start', 1)", (time_text,))
    raw(target, "INSERT INTO events (time, type, session_id) VALUES (?, 'pain_stop', 1)", (time_text,))
    old_rows = snapshot(target)
    with Journal.open(target) as j:
        assert [e.type for e in j.events()] == ["session_start", "pain_stop"]
        j.record("timer_end", key="timer:abc:0:end", now=at(2))
        j.record("timer_end", key="timer:abc:0:end", now=at(3))  # the same key again: nothing new
        assert len(j.events()) == 3
    assert raw(target, "PRAGMA user_version") == [(2,)]
    assert raw(target, "SELECT key FROM events ORDER BY id") == [(None,), (None,), ("timer:abc:0:end",)]
    assert snapshot(target.with_name(f"{target.name}.v1-backup")) == old_rows
