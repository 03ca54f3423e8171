"""The outbox: writes the journal cannot take at once are kept on disk, replayed once, in order, by key.

These tests hold the journal with a second connection in this process (fast); tests/test_journal_faults.py
does the same with a second process, a full tmpfs, SIGKILL and a read-only mount.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spasmcoach.core.journal import Journal, SaveState, Waiting, ops
from spasmcoach.core.journal import outbox as outbox_module
from spasmcoach.core.journal.outbox import OutboxFile, encode, parse

T0 = datetime(2026, 11, 21, 14, 35, 2, 123000, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    opened = Journal.open(tmp_path / "j.sqlite3")
    try:
        yield opened
    finally:
        opened.close()


class Holder:
    """A second connection holding a write transaction, as a backup tool or a second copy of the app would."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def stop_op(session: str | int | None, *, key: str | None = None, minutes: float = 1) -> ops.Op:
    return ops.event(
        "pain_stop", session=session, routine="lower-back", step="knee-to-chest", phase="hold", seconds=7.0,
        key=key, now=at(minutes),
    )  # fmt: skip


def test_a_write_the_journal_takes_is_saved_at_once(journal: Journal) -> None:
    receipt = journal.submit(ops.session_start("lower-back", "Lower back", key="s1", now=at(0)))
    assert receipt.saved and receipt.state is SaveState.SAVED and receipt.row_id is not None
    assert receipt.sentence("Your stop") == "Your stop is saved in your journal."
    assert not journal.pending and not journal.outbox.path.exists()


def test_a_held_journal_keeps_the_stop_in_the_outbox_and_replays_it_once_in_order(journal: Journal) -> None:
    start = journal.submit(ops.session_start("lower-back", "Lower back", key="s1", now=at(0)))
    holder = Holder(journal.path)
    began = time.perf_counter()
    stop = journal.submit(stop_op("s1", key="stop-1", minutes=1))
    took = time.perf_counter() - began
    details = journal.submit(ops.event_update("stop-1", pain=7, note="sharp", now=at(1.5)))
    end = journal.submit(ops.session_end("s1", outcome="stopped", steps_done=1, key="end-1", now=at(2)))
    assert took < 0.2, took
    assert (stop.state, stop.waiting) == (SaveState.KEPT, Waiting.BUSY)
    assert stop.sentence("Your stop") == (
        "Your stop is kept safe and will be saved in your journal when the journal is free again."
    )
    assert details.state is SaveState.KEPT and end.state is SaveState.KEPT  # behind the stop, never ahead
    assert journal.pending and not journal.flush_pending()  # still held: nothing lands, nothing is lost
    assert [e.type for e in journal.events()] == ["session_start"]
    holder.release()
    assert journal.flush_pending() and not journal.pending
    events = journal.events()
    assert [e.type for e in events] == ["session_start", "pain_stop", "session_end"]
    assert events[1].time == at(1) and events[2].time == at(2)  # original times, not the replay's
    assert (events[1].pain, events[1].note) == (7, "sharp")  # the update applied after the stop it names
    assert journal.session(start.row_id or 0) is not None
    assert journal.outbox.path.stat().st_size == 0
    assert journal.flush_pending()  # again: nothing doubles
    assert len(journal.events()) == 3


def test_a_replayed_write_whose_key_is_in_the_journal_changes_nothing(journal: Journal) -> None:
    journal.submit(ops.session_start("r", "R", key="s1", now=at(0)))
    first = journal.submit(stop_op("s1", key="k"))
    again = journal.submit(stop_op("s1", key="k"))
    assert first.row_id == again.row_id
    update = ops.event_update("k", pain=3, now=at(2))
    journal.submit(update)
    journal.submit(update)
    assert len(journal.events(types=["pain_stop"])) == 1
    assert len(journal.history("event", first.row_id or 0)) == 1  # one change-log entry, not two


def test_a_new_write_queues_behind_waiting_ones(journal: Journal) -> None:
    holder = Holder(journal.path)
    journal.submit(ops.event("timer_start", key="a", now=at(0)))
    holder.release()
    # The journal is free now, but "b" must not overtake "a": the next write flushes first.
    receipt = journal.submit(ops.event("timer_end", key="b", now=at(1)))
    assert receipt.saved
    events = journal.events()
    assert [e.type for e in events] == ["timer_start", "timer_end"] and events[0].id < events[1].id


def test_waiting_writes_are_replayed_at_start_up(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(path)
    holder = Holder(path)
    journal.submit(ops.event("episode_start", key="e1", now=at(0)))
    journal.close()  # the app quits while the journal is still held
    holder.release()
    with Journal.open(path) as reopened:
        assert not reopened.pending
        assert [e.type for e in reopened.events()] == ["episode_start"]


def test_a_torn_last_line_is_ignored_and_the_next_append_starts_a_new_line(journal: Journal) -> None:
    good = ops.event("timer_start", key="good", now=at(0))
    torn = encode(ops.event("timer_end", key="torn", now=at(1)))[:-20]  # a crash mid-write: no newline
    journal.outbox.path.write_bytes(encode(good) + torn)
    contents = parse(journal.outbox.path.read_bytes())
    assert [op.key for op in contents.ops] == ["good"] and contents.torn_tail and not contents.damaged
    holder = Holder(journal.path)
    journal.submit(ops.event("timer_phase", key="next", now=at(2)))
    holder.release()
    assert journal.flush_pending()
    assert [e.type for e in journal.events()] == ["timer_start", "timer_phase"]


def test_a_damaged_middle_line_is_set_aside_not_replayed_and_not_dropped(journal: Journal) -> None:
    line = json.loads(encode(ops.event("pain_stop", key="x", now=at(0))))
    line["op"]["fields"]["pain"] = 9  # changed after the checksum was taken
    bad = json.dumps(line).encode() + b"\n"
    good = encode(ops.event("timer_start", key="y", now=at(1)))
    journal.outbox.path.write_bytes(bad + good)
    assert journal.flush_pending()
    assert [e.type for e in journal.events()] == ["timer_start"]
    assert journal.outbox.rejected_path.read_bytes() == bad


def test_a_stop_of_a_session_the_journal_lost_is_still_recorded(journal: Journal) -> None:
    """A damaged journal was set aside between the session start and the stop's replay."""
    journal.outbox.append([stop_op("gone-session", key="stop")])
    assert journal.flush_pending()
    [stop] = journal.events()
    assert stop.type == "pain_stop" and stop.session_id is None and stop.data["session_key"] == "gone-session"


def test_an_outbox_that_cannot_be_written_keeps_writes_in_memory_and_retries(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: OutboxFile, ops_: object) -> None:
        raise OSError(28, "No space left on device")

    holder = Holder(journal.path)
    with monkeypatch.context() as patch:
        patch.setattr(OutboxFile, "append", full)
        receipt = journal.submit(ops.event("pain_stop", key="s", now=at(0)))
        later = journal.submit(ops.event("timer_end", key="t", now=at(1)))
        assert (receipt.state, receipt.waiting) == (SaveState.IN_MEMORY, Waiting.NO_ROOM)
        assert later.state is SaveState.IN_MEMORY and journal.save_state is SaveState.IN_MEMORY
        assert "room on the disk" in receipt.sentence("Your stop") and "keep SpasmCoach open" in receipt.sentence()
        assert "could not be written either" in receipt.detail
        assert not journal.flush_pending()
    holder.release()
    assert journal.flush_pending() and journal.save_state is SaveState.SAVED
    assert [e.type for e in journal.events()] == ["pain_stop", "timer_end"]


def test_the_outbox_lock_wait_is_bounded(journal: Journal) -> None:
    """Another process holding the outbox lock: appending gives up quickly, the write stays in memory."""
    import fcntl
    import os

    journal.outbox.path.touch()
    fd = os.open(journal.outbox.path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        holder = Holder(journal.path)
        began = time.perf_counter()
        receipt = journal.submit(ops.event("pain_stop", key="s", now=at(0)))
        assert time.perf_counter() - began < 0.2
        assert receipt.state is SaveState.IN_MEMORY
        holder.release()
    finally:
        os.close(fd)
    assert journal.flush_pending()
    assert [e.type for e in journal.events()] == ["pain_stop"]


def test_bad_values_are_refused_before_they_reach_the_outbox(journal: Journal) -> None:
    with pytest.raises(ValueError, match="pain"):
        ops.event("pain_stop", pain=11)
    with pytest.raises(ValueError, match="key"):
        ops.event("pain_stop", key="")
    assert not journal.pending


def test_an_outbox_that_is_a_fifo_never_blocks(journal: Journal) -> None:
    import os

    os.mkfifo(journal.outbox.path)
    holder = Holder(journal.path)
    began = time.perf_counter()
    receipt = journal.submit(ops.event("pain_stop", key="s", now=at(0)))
    assert time.perf_counter() - began < 0.2 and receipt.state is SaveState.IN_MEMORY
    holder.release()


def test_outbox_lines_are_json_with_a_checksum(journal: Journal) -> None:
    holder = Holder(journal.path)
    journal.submit(stop_op(None, key="k1"))
    holder.release()
    [line] = journal.outbox.path.read_bytes().splitlines()
    document = json.loads(line)
    assert document["op"]["key"] == "k1" and document["op"]["time"] == "2026-11-21T14:36:02.123+00:00"
    assert document["sum"] == outbox_module.checksum(ops.Op.from_json(document["op"]))


def test_the_window_retries_only_while_something_waits_and_says_when_it_is_saved(
    journal: Journal, qtbot: QtBot
) -> None:
    from spasmcoach.core.notify import Notifier
    from spasmcoach.gui.journal_retry import JournalRetry

    notifier = Notifier()
    retry = JournalRetry(journal, notifier)
    try:
        assert not retry.timer.isActive()  # nothing waits: no timer
        holder = Holder(journal.path)
        journal.submit(ops.event("pain_stop", key="s", now=at(0)))
        qtbot.waitUntil(retry.timer.isActive, timeout=1000)  # started through the queued hook
        assert not retry.retry() and retry.timer.isActive()
        holder.release()
        with qtbot.waitSignal(retry.flushed, timeout=1000):
            assert retry.retry()
        assert not retry.timer.isActive()
        assert [n.message for n in notifier.history] == ["Everything that was waiting is now saved in your journal."]
        assert [e.type for e in journal.events()] == ["pain_stop"]
    finally:
        retry.stop()
