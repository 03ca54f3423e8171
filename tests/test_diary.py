"""The pain diary: check-ins and pain relievers in the journal, the terminal commands, the FHIR export."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spasmcoach import cli
from spasmcoach.core import diary
from spasmcoach.core.diary import fhir
from spasmcoach.core.journal import Journal

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def test_a_checkin_keeps_every_field(journal: Journal) -> None:
    entry = diary.CheckIn.build(
        6,
        areas=["Lower back left", "buttock"],
        qualities=["cramping", "sharp"],
        helped=["ice"],
        symptoms=["tingling"],
        note="  woke up stiff  ",
        time=NOW - timedelta(hours=1),
    )
    diary.record_checkin(journal, entry, now=NOW)
    [event] = journal.events(types=[diary.CHECKIN_EVENT])
    assert event.pain == 6 and event.time == NOW - timedelta(hours=1)
    assert event.data["areas"] == ["lower-back-left", "buttock"]  # the list's order, stored identifiers
    assert event.data["qualities"] == ["sharp", "cramping"]
    assert event.data["helped"] == ["ice"]
    assert event.symptoms == ("tingling",) and event.note == "woke up stiff"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"pain": 11}, "0 to 10"),
        ({"pain": -1}, "0 to 10"),
        ({"pain": True}, "0 to 10"),
        ({"pain": "5"}, "0 to 10"),
        ({"pain": 4, "areas": ["knee"]}, "area 'knee'"),
        ({"pain": 4, "qualities": ["dull"]}, "pain quality 'dull'"),
        ({"pain": 4, "helped": ["prayer"]}, "what helped 'prayer'"),
        ({"pain": 4, "symptoms": ["dizzy"]}, "symptom 'dizzy'"),
    ],
)
def test_bad_checkins_name_the_field(kwargs: dict[str, object], words: str) -> None:
    pain = kwargs.pop("pain")
    with pytest.raises(ValueError, match=words):
        diary.CheckIn.build(pain, **kwargs)  # type: ignore[arg-type]


def test_a_checkin_in_the_future_is_refused(journal: Journal) -> None:
    entry = diary.CheckIn.build(3, time=NOW + timedelta(days=1))
    with pytest.raises(ValueError, match="future"):
        diary.record_checkin(journal, entry, now=NOW)
    assert journal.events(types=[diary.CHECKIN_EVENT]) == []


def test_a_reliever_is_recorded_in_the_persons_words(journal: Journal) -> None:
    diary.record_reliever(journal, diary.Reliever.build("  Ibuprofen ", " 2 tablets "), now=NOW)
    [event] = journal.events(types=[diary.RELIEVER_EVENT])
    assert event.data == {"name": "Ibuprofen", "amount": "2 tablets"} and event.time == NOW
    with pytest.raises(ValueError, match="name"):
        diary.Reliever.build("   ")
    with pytest.raises(ValueError, match="longer"):
        diary.Reliever.build("x" * 500)


def test_checkin_command_saves_and_shows_the_nerve_guidance(spasmcoach_home: Path) -> None:
    code, text = run("checkin", "--pain", "6", "--area", "lower-back-left", "--symptom", "weakness", "--note", "ouch")
    assert code == 0
    assert "Pain 6 of 10" in text and "saved in your journal" in text and "lower back, left" in text
    assert "111" in text  # weakness: see a GP urgently, said plainly
    code, text = run("checkin", "--pain", "5", "--symptom", "saddle")
    assert code == 0 and "999" in text  # saddle-area symptoms: the emergency wording
    with Journal.open() as journal:
        events = journal.events(types=[diary.CHECKIN_EVENT])
    assert [e.pain for e in events] == [6, 5] and events[0].note == "ouch"


@pytest.mark.parametrize(
    "argv",
    [
        ["checkin", "--pain", "12"],
        ["checkin", "--pain", "3", "--area", "knee"],
        ["checkin", "--pain", "3", "--at", "2999-01-01"],
        ["checkin", "--pain", "3", "--at", "yesterday-ish"],
        ["reliever", " "],
    ],
)
def test_checkin_mistakes_are_one_line_and_save_nothing(
    argv: list[str], spasmcoach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(*argv)
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("spasmcoach: ") and err.count("\n") == 1 and "Traceback" not in err
    journal_file = spasmcoach_home / "journal.sqlite3"
    if journal_file.exists():
        with Journal.open(journal_file) as journal:
            assert journal.events(types=[diary.CHECKIN_EVENT, diary.RELIEVER_EVENT]) == []


def _bundle_from_cli() -> dict[str, object]:
    code, text = run("log", "--fhir")
    assert code == 0
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


def test_fhir_export_holds_every_rating_and_nothing_else(spasmcoach_home: Path) -> None:
    assert run("checkin", "--pain", "7", "--area", "buttock", "leg-left")[0] == 0
    assert run("reliever", "Paracetamol")[0] == 0  # no rating: not an observation
    with Journal.open() as journal:
        session = journal.start_session("desk-break", "Desk break", pain_before=5, steps_total=3, now=NOW)
        journal.record_pain_stop(
            session, routine="desk-break", step="Reach", phase="hold", side=None, rep=1, seconds=4.0, pain=8, now=NOW
        )
        journal.record("pain_increase", pain=8, now=NOW)  # repeats a rating: left out
    bundle = _bundle_from_cli()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    entries = bundle["entry"]
    assert isinstance(entries, list)
    values = sorted(e["resource"]["valueQuantity"]["value"] for e in entries)
    assert values == [5, 7, 8]
    for entry in entries:
        resource = entry["resource"]
        assert resource["code"]["coding"][0] == {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": fhir.PAIN_DISPLAY,
        }
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
    sites = [e["resource"].get("bodySite", {}).get("text") for e in entries]
    assert "Buttock; Left leg" in sites


def test_fhir_export_validates_against_the_fhir_model(spasmcoach_home: Path) -> None:
    bundle_model = pytest.importorskip("fhir.resources.R4B.bundle", reason="fhir.resources is a test extra")
    run("checkin", "--pain", "4", "--area", "neck", "--note", "after a long drive")
    with Journal.open() as journal:
        journal.start_session("warm-up", "Gentle warm-up", pain_before=3, steps_total=2, now=NOW)
    text = json.dumps(_bundle_from_cli())
    parsed = bundle_model.Bundle.model_validate_json(text)
    assert parsed.type == "collection" and len(parsed.entry) == 2
    observation = parsed.entry[-1].resource if parsed.entry[-1].resource.bodySite else parsed.entry[0].resource
    assert observation.bodySite.text == "Neck"
    assert observation.valueQuantity.value == 4


def test_fhir_ids_are_stable_for_the_same_entry(spasmcoach_home: Path) -> None:
    run("checkin", "--pain", "2")
    first = _bundle_from_cli()["entry"]
    second = _bundle_from_cli()["entry"]
    assert isinstance(first, list) and isinstance(second, list)
    assert [e["resource"]["id"] for e in first] == [e["resource"]["id"] for e in second]


def test_fhir_export_of_an_empty_journal_is_an_empty_bundle(spasmcoach_home: Path) -> None:
    assert _bundle_from_cli()["entry"] == []


def test_daily_pain_takes_every_rating_of_a_local_day(journal: Journal) -> None:
    from datetime import timezone

    from spasmcoach.core.diary.calendar import DayMeasure, daily_pain

    berlin_winter = timezone(timedelta(hours=1))
    late = datetime(2026, 11, 19, 22, 45, tzinfo=UTC)  # 23:45 local: still the 19th
    diary.record_checkin(journal, diary.CheckIn.build(7, areas=["neck"], time=late), now=NOW)
    diary.record_checkin(journal, diary.CheckIn.build(3, areas=["buttock"], time=late - timedelta(hours=5)), now=NOW)
    journal.start_session("warm-up", "Gentle warm-up", pain_before=2, steps_total=1, now=NOW)
    journal.record("pain_increase", pain=9, now=NOW)  # not a rating of its own
    days = daily_pain(journal.events(), tz=berlin_winter)
    nineteenth, twentieth = days[late.date()], days[NOW.date()]
    assert (nineteenth.count, nineteenth.highest, nineteenth.average) == (2, 7, 5.0)
    assert nineteenth.value(DayMeasure.HIGHEST) == 7 and nineteenth.value(DayMeasure.AVERAGE) == 5.0
    assert set(nineteenth.areas) == {"neck", "buttock"}
    assert (twentieth.count, twentieth.highest) == (1, 2)
    neck_only = daily_pain(journal.events(), tz=berlin_winter, area="neck")
    assert list(neck_only) == [late.date()] and neck_only[late.date()].highest == 7


def test_calendar_weeks_are_whole_and_cover_the_range() -> None:
    from datetime import date

    from spasmcoach.core.diary.calendar import weeks

    grid = weeks(date(2026, 11, 4), date(2026, 11, 30))  # a Wednesday to a Monday
    assert grid[0][0] == date(2026, 11, 2) and grid[-1][-1] == date(2026, 12, 6)
    assert all(len(week) == 7 and week[0].weekday() == 0 for week in grid)
    assert weeks(date(2026, 11, 30), date(2026, 11, 4)) == grid
