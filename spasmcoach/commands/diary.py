"""The pain diary from the terminal: ``spasmcoach checkin``, ``spasmcoach reliever`` and ``log --fhir``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from spasmcoach.core import diary, paths
from spasmcoach.core.diary import fhir
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.red_flags import advise

from .common import UsageError, clean, parse_since


def _when(text: str | None) -> datetime | None:
    """``--at`` as an aware time (naive times are local), or None for now; the same forms as ``--since``."""
    return parse_since(text) if text else None


def _write(action: str, record: Callable[[Journal], object]) -> None:
    """Open the journal (creating it), run ``record`` with it; UsageError for a journal that cannot be used."""
    try:
        paths.ensure_data_dir()
        with Journal.open() as journal:
            record(journal)
    except (JournalError, paths.DataDirError) as exc:
        raise UsageError(f"could not save the {action}: {exc}") from None


def cmd_checkin(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach checkin --pain N [--area A ...] [--quality Q ...] [--helped H ...] [--symptom S ...]``."""
    try:
        entry = diary.CheckIn.build(
            args.pain,
            areas=args.area or (),
            qualities=args.quality or (),
            helped=args.helped or (),
            symptoms=args.symptom or (),
            note=args.note,
            time=_when(args.at),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    def record(journal: Journal) -> None:
        try:
            diary.record_checkin(journal, entry)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    _write("check-in", record)
    where = ", ".join(diary.label_of(diary.AREAS, a).lower() for a in entry.areas)
    out.write(clean(f"Saved: pain {entry.pain} of 10" + (f" ({where})" if where else "") + ".") + "\n")
    advice = advise(entry.symptoms)
    if advice.text:
        out.write(clean(advice.text) + "\n")
    return 0


def cmd_reliever(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach reliever NAME [--amount TEXT] [--at TIME]``: a pain reliever was taken."""
    try:
        entry = diary.Reliever.build(args.name, args.amount, _when(args.at))
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    def record(journal: Journal) -> None:
        try:
            diary.record_reliever(journal, entry)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    _write("pain reliever", record)
    amount = f", {entry.amount}" if entry.amount else ""
    out.write(clean(f"Saved: {entry.name}{amount}.") + "\n")
    return 0


def cmd_log_fhir(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach log --fhir [--since DATE]``: every pain rating as a FHIR R4 Bundle (JSON)."""
    since = parse_since(args.since) if getattr(args, "since", None) else None
    events = []
    if paths.journal_path().exists():
        try:
            with Journal.open() as journal:
                events = journal.events(since=since, types=list(fhir.RATED_EVENTS))
        except JournalError as exc:
            raise UsageError(str(exc)) from None
    json.dump(fhir.pain_bundle(events), out, indent=2, ensure_ascii=False)
    out.write("\n")
    return 0


AddCommand = Callable[[str, Callable[[argparse.Namespace, TextIO], int], str], argparse.ArgumentParser]


def add_parsers(command: AddCommand) -> None:
    """The diary's sub-commands, added through the parser's ``command(name, handler, text)`` helper."""
    checkin = command("checkin", cmd_checkin, "record how your back is now (pain 0-10, where, what it is like)")
    checkin.add_argument("--pain", type=int, required=True, metavar="N", help="pain from 0 (none) to 10 (worst)")
    checkin.add_argument("--area", nargs="+", metavar="AREA", help=f"where: {', '.join(t.id for t in diary.AREAS)}")
    checkin.add_argument(
        "--quality", nargs="+", metavar="WORD", help=f"what it is like: {', '.join(t.id for t in diary.QUALITIES)}"
    )
    checkin.add_argument(
        "--helped",
        nargs="+",
        metavar="TAG",
        help=f"what helped since last time: {', '.join(t.id for t in diary.HELPED)}",
    )
    checkin.add_argument(
        "--symptom", nargs="+", metavar="S", help="numbness, tingling, weakness, both-legs, saddle, bladder-bowel"
    )
    checkin.add_argument("--note", metavar="TEXT", help="anything else, in your own words")
    checkin.add_argument("--at", metavar="TIME", help="when, if not now (e.g. 2026-11-01T08:30)")
    reliever = command("reliever", cmd_reliever, "record that you took a pain reliever (the app never suggests one)")
    reliever.add_argument("name", metavar="NAME", help="its name, as on the pack")
    reliever.add_argument("--amount", metavar="TEXT", help="how much, in your own words (e.g. '2 tablets')")
    reliever.add_argument("--at", metavar="TIME", help="when, if not now (e.g. 2026-11-01T08:30)")
