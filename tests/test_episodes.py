"""Episodes of spasm: start, settle, triggers and corrections, in the core and from the command line."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spasmcoach import cli
from spasmcoach.core import paths
from spasmcoach.core.diary import episodes
from spasmcoach.core.journal import Journal, SaveState
from spasmcoach.core.timers import start_episode

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def conn_of(journal: Journal) -> sqlite3.Connection:
    """The open journal's database connection, for tests that play another program holding it."""
    assert journal._conn is not None
    return journal._conn


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def test_start_with_triggers_then_settle(journal: Journal) -> None:
    episodes.start(journal, at=NOW - timedelta(days=3), triggers=["Lifting", "sneeze_cough"], now=NOW)
    [going] = episodes.episodes(journal, now=NOW)
    assert going.ongoing and going.end is None and going.length == timedelta(days=3)
    assert going.triggers == ("lifting", "sneeze-cough")
    assert going.trigger_labels == ["Lifting", "A sneeze or cough"]
    episodes.end(journal, going, at=NOW - timedelta(hours=6), now=NOW)
    [done] = episodes.episodes(journal, now=NOW)
    assert not done.ongoing and done.length == timedelta(days=2, hours=18)
    assert episodes.open_episode(journal, now=NOW) is None
    assert episodes.describe(done, UTC) == (
        "Started 2026-11-17 09:30, settled 2026-11-20 03:30 (2 days 18 hours); triggers: Lifting, A sneeze or cough"
    )


def test_a_later_entry_corrects_the_start_and_a_far_one_begins_a_new_episode(journal: Journal) -> None:
    first = NOW - timedelta(days=30)
    start_episode(journal, first)  # the Timers page's own write: episodes read it too
    episodes.start(journal, at=first - timedelta(hours=10), triggers=["twist"], now=NOW)  # "it was last night"
    episodes.start(journal, at=NOW - timedelta(days=2), now=NOW)  # weeks later, never marked settled
    found = episodes.episodes(journal, now=NOW)
    assert [e.start for e in found] == [first - timedelta(hours=10), NOW - timedelta(days=2)]
    assert found[0].triggers == ("twist",) and found[0].length is None and not found[0].ongoing
    assert episodes.describe(found[0]).endswith("not marked as settled; triggers: A sudden twist")
    assert found[1].ongoing and found[1].triggers == ()


def test_a_second_end_corrects_the_first(journal: Journal) -> None:
    episodes.start(journal, at=NOW - timedelta(days=4), now=NOW)
    current = episodes.open_episode(journal, now=NOW)
    episodes.end(journal, current, at=NOW - timedelta(days=1), now=NOW)
    [done] = episodes.episodes(journal, now=NOW)
    episodes.end(journal, done, at=NOW - timedelta(days=2), now=NOW)
    [corrected] = episodes.episodes(journal, now=NOW)
    assert corrected.end == NOW - timedelta(days=2)


@pytest.mark.parametrize(
    ("action", "words"),
    [
        (lambda j: episodes.start(j, at=NOW + timedelta(hours=1), now=NOW), "in the future"),
        (lambda j: episodes.start(j, triggers=["stress"], now=NOW), "trigger 'stress' is not one of: lifting"),
        (lambda j: episodes.end(j, None, now=NOW), "no episode going on"),
        (lambda j: episodes.end(j, episodes.Episode(NOW, None, (), None, True), at=NOW - timedelta(1)), "before"),
    ],
)
def test_bad_episode_writes_are_refused_with_a_reason(journal: Journal, action: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        action(journal)  # type: ignore[operator]
    assert journal.events(types=list(episodes.EPISODE_EVENTS)) == []


def test_triggers_added_later_replace_those_on_the_start(journal: Journal) -> None:
    episodes.start(journal, at=NOW - timedelta(hours=5), triggers=["posture"], now=NOW)
    current = episodes.open_episode(journal, now=NOW)
    assert current is not None
    stored = journal.event(current.start_id)
    assert stored is not None
    journal.update_event(current.start_id, data=episodes.trigger_data(stored.data, ["sitting", "posture"]))
    assert episodes.episodes(journal, now=NOW)[0].triggers == ("sitting", "posture")
    with pytest.raises(ValueError, match="trigger 'fate'"):
        episodes.trigger_data({}, ["fate"])


def test_unknown_stored_triggers_are_kept_and_shown_as_stored(journal: Journal) -> None:
    journal.record("episode_start", data={"triggers": ["gardening", 3]}, now=NOW - timedelta(hours=1))
    [found] = episodes.episodes(journal, now=NOW)
    assert found.triggers == ("gardening",) and found.trigger_labels == ["gardening"]


def test_the_never_lose_path_keeps_an_episode_while_the_journal_is_busy(journal: Journal) -> None:
    receipt = episodes.start(journal, at=NOW - timedelta(hours=1), triggers=["lifting"], now=NOW)
    assert receipt.state is SaveState.SAVED and receipt.row_id is not None
    current = episodes.open_episode(journal, now=NOW)
    other = Journal.open(journal.path)
    conn_of(other).execute("BEGIN IMMEDIATE")  # another program holds the journal
    try:
        kept = episodes.end(journal, current, now=NOW)
        assert kept.state is SaveState.KEPT
    finally:
        conn_of(other).execute("ROLLBACK")
        other.close()
    assert journal.flush_pending()
    [done] = episodes.episodes(journal, now=NOW)
    assert done.end == NOW and done.triggers == ("lifting",)


def test_length_text() -> None:
    assert episodes.length_text(timedelta(minutes=20)) == "20 minutes"
    assert episodes.length_text(timedelta(hours=1, minutes=59)) == "1 hour"
    assert episodes.length_text(timedelta(days=1)) == "1 day"
    assert episodes.length_text(timedelta(days=3, hours=2)) == "3 days 2 hours"
    assert episodes.length_text(None) == "not known"


def test_cli_episode_start_end_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("episodes") == (
        0,
        "No episodes recorded yet. 'spasmcoach episode start' records when a spasm started.\n",
    )
    code, text = run("episode", "start", "--at", "2026-11-01T08:00+00:00", "--trigger", "lifting", "sitting")
    assert code == 0 and text.startswith("Saved. Started 2026-11-01")
    assert "triggers: Lifting, Long sitting" in text
    code, text = run("episode", "end", "--at", "2026-11-03T10:00+00:00")
    assert code == 0 and "settled" in text and "(2 days 2 hours)" in text
    code, text = run("episodes", "--json")
    assert json.loads(text) == [
        {
            "start": "2026-11-01T08:00:00+00:00",
            "end": "2026-11-03T10:00:00+00:00",
            "ongoing": False,
            "length_seconds": 180000,
            "triggers": ["lifting", "sitting"],
        }
    ]
    with Journal.open(paths.journal_path()) as journal:
        assert [e.type for e in journal.events()] == ["episode_start", "episode_end"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["episode", "end"], "no episode going on"),
        (["episode", "start", "--at", "2999-01-01"], "in the future"),
        (["episode", "start", "--trigger", "stress"], "trigger 'stress' is not one of"),
        (["episode", "end", "--trigger", "lifting"], "--trigger goes with 'episode start'"),
        (["episode", "start", "--at", "yesterday"], "--at takes a date like 2026-11-01"),
    ],
)
def test_cli_mistakes_are_one_line(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(*argv)
    err = capsys.readouterr().err
    assert code == 1 and text == ""
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
