"""History's quicker reads give exactly what the old whole-event reads gave: the calendar's days from
(time, pain) ratings, local days worked out once per UTC day, timer uses from (id, time, type, data), and
the table's rows made as they are read; checked on a generated journal of a year and a half of use (clock
changes, deleted entries, damaged data) against the old computations, in several time zones."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spasmcoach.core import diary
from spasmcoach.core.diary.calendar import CALENDAR_WEEKS, LocalDays, daily_pain, daily_pain_of
from spasmcoach.core.diary.fhir import RATED_EVENTS
from spasmcoach.core.history import TIMER_TYPES, RowKind, TimerUse, load_history
from spasmcoach.core.history.query import AREA_TEXTS, HistoryRequest, RatingsCache, load_page
from spasmcoach.core.history.records import _timer_title
from spasmcoach.core.history.table import HistoryRows, history_rows
from spasmcoach.core.journal import Event, Journal, format_time
from spasmcoach.gui.history.loader import collector_paused

START = datetime(2025, 2, 1, 6, tzinfo=UTC)
DAYS = 540  # two springs and autumns: clock changes in Europe and in the south
ZONES: tuple[tzinfo | None, ...] = (
    None,
    UTC,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Asia/Kolkata"),  # +05:30: local midnight inside a UTC hour
    ZoneInfo("Australia/Lord_Howe"),  # half-hour clock changes
    ZoneInfo("Pacific/Chatham"),  # +12:45 / +13:45
    ZoneInfo("America/St_Johns"),  # -03:30 / -02:30
    timezone(timedelta(hours=-11)),
)
TITLES = {"ice-20": "Ice pack, 20 minutes"}


def fill(journal: Journal, seed: int = 5) -> None:
    """Sessions with ratings and pain stops, check-ins naming areas, relievers and ice or heat timers at
    random times of day; some entries deleted, some data damaged or odd, as a long-used journal may hold."""
    rng = random.Random(seed)
    for day in range(DAYS):
        base = START + timedelta(days=day)
        for _ in range(rng.randint(0, 3)):
            start = base + timedelta(minutes=rng.randrange(0, 24 * 60))
            before = rng.choice([None, *range(11)])
            sid = journal.start_session("lbr", "Lower back", pain_before=before, steps_total=4, now=start)
            if rng.random() < 0.15:
                journal.record_pain_stop(
                    sid, routine="lbr", step="Knee to chest", phase="hold", side="left", rep=1, seconds=30.0,
                    pain=rng.choice([None, 7, 8]), symptoms=["tingling"], now=start + timedelta(minutes=3),
                )  # fmt: skip
                journal.end_session(sid, outcome="stopped", steps_done=1, now=start + timedelta(minutes=4))
            else:
                journal.end_session(sid, outcome="completed", steps_done=4, now=start + timedelta(minutes=12))
                journal.set_session_pain(sid, after=rng.choice([None, *range(11)]))
            if rng.random() < 0.05:
                journal.delete_session(sid)
        if rng.random() < 0.4:
            areas = rng.sample(["neck", "lower-back-left", "buttock", "leg-right"], rng.randint(0, 2))
            entry = diary.CheckIn.build(rng.randrange(11), areas=areas)
            diary.record_checkin(journal, entry, now=base + timedelta(hours=rng.randrange(24), seconds=7))
        if rng.random() < 0.5:
            timer = f"t{day}"
            on = base + timedelta(minutes=rng.randrange(0, 24 * 60))
            journal.record("timer_start", data={"timer": timer, "preset": "ice-20", "therapy": "cold", "on": 1200.0,
                                                "cycles": rng.choice([1, 3, True])}, now=on)  # fmt: skip
            if rng.random() < 0.9:
                kind = rng.choice(["timer_end", "timer_cancel"])
                journal.record(kind, data={"timer": timer}, now=on + timedelta(minutes=20))
        if day % 97 == 0:  # a timer started before the range, ended after; odd or damaged data
            journal.record("timer_end", data={"timer": "gone"}, now=base + timedelta(hours=1))
            journal.record("timer_start", data={"timer": 42, "therapy": "heat"}, now=base + timedelta(hours=2))
            journal.record("timer_start", data={"preset": "heat-20"}, now=base + timedelta(hours=3))
            journal.record("checkin", pain=None, data={"areas": ["neck"]}, now=base + timedelta(hours=4))
    for moment_of_day in (START + timedelta(days=20), START + timedelta(days=200)):  # winter and summer (north)
        midnight = moment_of_day.replace(hour=0, minute=0, second=0, microsecond=0)
        for quarter in range(96):  # a millisecond either side of every quarter hour: some zone's local midnight
            moment = midnight + timedelta(minutes=15 * quarter)
            for near in (moment - timedelta(milliseconds=1), moment):
                journal.record("checkin", pain=quarter % 11, data={"areas": []}, now=near)
    with journal._write() as conn:  # damaged JSON, as a hand-edited file might have
        conn.execute("UPDATE events SET data = 'not json {' WHERE id % 211 = 0 AND type = 'timer_end'")
        conn.execute(  # a key spelled with an escape, as hand-written JSON may
            "UPDATE events SET data = ? WHERE id = (SELECT MAX(id) FROM events WHERE type = 'checkin')",
            ('{"\\u0061reas": ["buttock", "neck"], "qualities": []}',),
        )
    for event in journal.events(types=["checkin", "timer_start"])[::37]:
        journal.delete_event(event.id)


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    with Journal.open(tmp_path_factory.mktemp("aggregates") / "journal.sqlite") as opened:
        fill(opened)
        yield opened


RANGES = (
    (None, None),
    (datetime(2025, 3, 29, 22, tzinfo=UTC), datetime(2025, 10, 27, 1, 30, tzinfo=UTC)),
    (datetime(2026, 1, 1, tzinfo=UTC), None),
)


@pytest.mark.parametrize("tz", ZONES, ids=str)
def test_the_calendar_days_from_ratings_alone_are_the_days_from_whole_events(journal: Journal, tz: tzinfo) -> None:
    for since, until in RANGES:
        rated = journal.events(since=since, until=until, types=list(RATED_EVENTS))
        named = journal.events(since=since, until=until, types=list(RATED_EVENTS), data_contains=AREA_TEXTS)
        ratings = journal.pain_ratings(RATED_EVENTS, since=since, until=until)
        assert ratings == [(format_time(e.time), e.pain) for e in rated if e.pain is not None]
        assert daily_pain_of(ratings, named, tz=tz) == daily_pain(rated, tz=tz)
        assert RatingsCache().get(journal, since, until, tz) == (named, daily_pain(rated, tz=tz))
        assert any(day.areas for day in daily_pain(rated, tz=tz).values())  # the areas were really compared
        for area in ("neck", "buttock"):  # the calendar's area filter works on the named ratings alone
            assert daily_pain(named, tz=tz, area=area) == daily_pain(rated, tz=tz, area=area)


def test_the_page_keeps_the_ratings_naming_areas_and_every_rating_s_day(journal: Journal) -> None:
    """Within the weeks the calendar can show, every rating's day is there; older ones are not read."""
    now = START + timedelta(days=DAYS)
    last_day = now.astimezone().date()
    first_shown = last_day - timedelta(weeks=CALENDAR_WEEKS) + timedelta(days=1)
    page = load_page(journal, HistoryRequest(now=now, timer_titles=TITLES), ratings=RatingsCache())
    rated = journal.events(types=list(RATED_EVENTS))
    every_day = daily_pain(rated)
    assert {day: pain for day, pain in page.days.items() if day >= first_shown} == {
        day: pain for day, pain in every_day.items() if day >= first_shown
    }
    assert min(every_day) < first_shown - timedelta(days=2) and min(page.days) >= first_shown - timedelta(days=2)
    assert page.calendar_first == first_shown  # older ratings exist: the calendar still starts half a year back
    shown_rated = [e.id for e in rated if "areas" in e.data and e.time.astimezone().date() >= first_shown]
    assert [e.id for e in page.rated if e.time.astimezone().date() >= first_shown] == shown_rated
    # A range inside the calendar's weeks is read whole, and the calendar starts where the range does.
    since = datetime.combine(first_shown + timedelta(days=30), datetime.min.time()).astimezone()
    short = load_page(journal, HistoryRequest(now=now, since=since, timer_titles=TITLES), ratings=RatingsCache())
    assert short.calendar_first is None
    assert short.days == daily_pain([e for e in rated if e.time >= since])


@pytest.mark.parametrize("tz", ZONES, ids=str)
def test_local_days_are_exactly_astimezone_dates(tz: tzinfo | None) -> None:
    rng = random.Random(11)
    moments = [START + timedelta(seconds=rng.randrange(0, 3 * 365 * 86400), milliseconds=rng.randrange(1000))]
    moments += [moments[0] + timedelta(days=rng.randrange(-4000, 4000)) for _ in range(2000)]
    for spring, autumn in (
        (datetime(2025, 3, 25), datetime(2025, 10, 21)),
        (datetime(2025, 9, 21), datetime(2026, 4, 1)),
    ):
        for start in (spring, autumn):  # every 7 minutes through a week holding a clock change, both hemispheres
            moments += [start.replace(tzinfo=UTC) + timedelta(minutes=7 * i, milliseconds=999) for i in range(1440)]
    local = LocalDays(tz)
    for moment in moments:
        expected = moment.astimezone(tz).date()
        assert local.of(format_time(moment)) == expected
        assert local.of_moment(moment) == expected
        assert local.of_moment(moment.astimezone(timezone(timedelta(hours=3)))) == expected
    for text in ("2025-03-30T01:30:00+00:00", "2025-03-30T23:59:59.999+05:30", "2025-03-30 12:00:00.000+00:00"):
        assert local.of(text) == datetime.fromisoformat(text).astimezone(tz).date()


def old_timer_uses(events: Sequence[Event], titles: Mapping[str, str]) -> list[TimerUse]:
    """The timer uses as they were made from whole events (before ``event_values``)."""
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(str(event.data.get("timer") or f"event-{event.id}"), []).append(event)
    uses: list[TimerUse] = []
    for key, group in groups.items():
        start = next((e for e in group if e.type == "timer_start"), None)
        if start is None:
            continue
        end = next((e for e in reversed(group) if e.type in ("timer_end", "timer_cancel")), None)
        cycles = start.data.get("cycles")
        uses.append(
            TimerUse(
                timer=key,
                event_ids=tuple(e.id for e in group),
                preset=str(start.data.get("preset") or ""),
                title=_timer_title(start.data, titles),
                therapy=str(start.data.get("therapy") or ""),
                started=start.time,
                ended=None if end is None else end.time,
                outcome="running" if end is None else "finished" if end.type == "timer_end" else "cancelled",
                cycles=cycles if isinstance(cycles, int) and not isinstance(cycles, bool) else 1,
            )
        )
    uses.sort(key=lambda u: (u.started, u.event_ids[0]))
    return uses


def test_timer_uses_from_event_values_are_those_from_whole_events(journal: Journal) -> None:
    for since, until in RANGES:
        events = journal.events(since=since, until=until, types=list(TIMER_TYPES))
        values = journal.event_values(since=since, until=until, types=TIMER_TYPES)
        assert values == [(e.id, format_time(e.time), e.type, e.data) for e in events]
        expected = [u for u in old_timer_uses(journal.events(since=since, types=list(TIMER_TYPES)), TITLES)]
        expected = [u for u in expected if until is None or u.started < until]
        assert load_history(journal, since=since, until=until, titles=TITLES).timers == expected
    assert {u.outcome for u in expected} == {"finished", "cancelled", "running"}


def test_rows_made_as_read_are_the_rows_made_at_once(journal: Journal) -> None:
    history = load_history(journal, titles=TITLES)
    for kinds in (None, [RowKind.SESSION], [RowKind.PAIN_STOP, RowKind.TIMER]):
        rows = HistoryRows(history, kinds)
        assert rows.made == 0  # nothing made until read
        first = rows[0]
        assert rows.made == 1 and rows[0] is first
        made = history_rows(history, kinds)
        assert len(rows) == len(made) and rows[-1] == made[-1] and rows[5:9] == made[5:9]
        assert all(rows.position(row.key) == i for i, row in enumerate(made))
        assert list(rows) == made
        # the old way: every row made, then sorted (time, kind, id), newest first
        keys = [(r.time, {"session": 0, "pain_stop": 1, "timer": 2}[r.kind.value], r.id) for r in made]
        assert keys == sorted(keys, reverse=True)
    assert rows.position(("session", -1)) is None


def test_the_collector_is_paused_while_reading_and_back_after(journal: Journal) -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested (two pages reading): the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()


def test_data_contains_keeps_events_whose_data_has_the_text(journal: Journal) -> None:
    found = journal.events(types=["checkin"], data_contains=['"areas"'])
    assert found and all("areas" in e.data for e in found)
    everything: list[Any] = journal.events(types=["checkin"])
    assert [e.id for e in everything if "areas" in e.data] == [
        e.id for e in journal.events(types=["checkin"], data_contains=AREA_TEXTS)
    ]
    assert journal.pain_ratings([]) == [] and journal.event_values(types=[]) == []


def test_each_timer_gets_the_title_of_its_own_start_even_when_starts_look_alike() -> None:
    """Titles are worked out once per kind of start; starts that only print alike are still told apart."""
    from spasmcoach.core.history.records import _timer_uses

    moment = "2026-11-20T08:00:00.000+00:00"
    starts: list[dict[str, Any]] = [
        {"timer": "a", "preset": None, "therapy": "ice", "on": 1200},
        {"timer": "b", "preset": "None", "therapy": "ice", "on": 1200},
        {"timer": "c", "preset": None, "therapy": "ice", "on": 1200.0},
        {"timer": "d", "preset": None, "therapy": "ice", "on": 1200},
    ]
    titles = {"None": "My own preset"}
    uses = _timer_uses([(i, moment, "timer_start", data) for i, data in enumerate(starts)], titles)
    assert [u.title for u in uses] == [_timer_title(data, titles) for data in starts]
    assert uses[0].title != uses[1].title
