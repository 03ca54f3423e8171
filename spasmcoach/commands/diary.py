"""The pain diary from the terminal: ``checkin``, ``reliever``, ``episode start|end``, ``episodes``, ``log --fhir``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from spasmcoach.core import diary, paths
from spasmcoach.core.diary import episodes, fhir
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal, JournalError, Receipt, SaveState
from spasmcoach.core.red_flags import advise
from spasmcoach.core.wording import in_sentence

from .common import UsageError, clean, parse_since


def _when(text: str | None) -> datetime | None:
    """``--at`` as an aware time (naive times are local), or None for now; the same forms as ``--since``."""
    if not text:
        return None
    try:
        return parse_since(text)
    except UsageError:
        words = _("--at takes a date like 2026-11-01 or a time like 2026-11-01T14:30, got {text}").format(
            text=clean(repr(text))
        )
        raise UsageError(words) from None


def _write(action: str, record: Callable[[Journal], object]) -> str:
    """Open the journal (creating it), write through its never-lose path, and say truthfully where it went.

    A write the journal cannot take now is kept in the outbox beside it and saved at the next start or write;
    only a write held in memory (not even the outbox could be written) would be lost when this command exits,
    so that is a UsageError. A ValueError from the entry (a time in the future, say) is a UsageError too.
    """
    try:
        paths.ensure_data_dir()
        with Journal.open() as journal:
            receipt = record(journal)
    except (JournalError, paths.DataDirError) as exc:
        raise UsageError(_("could not save the {action}: {exc}").format(action=action, exc=exc)) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not isinstance(receipt, Receipt):
        return _("It is saved in your journal.")  # a write that went straight in (it raises if it cannot)
    if receipt.state is SaveState.IN_MEMORY:
        detail = receipt.detail or _("the disk cannot be written")
        raise UsageError(_("could not save the {action}: {exc}").format(action=action, exc=detail))
    return receipt.sentence(_("It"))


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

    saved = _write(_("check-in"), lambda journal: diary.record_checkin(journal, entry))
    where = ", ".join(in_sentence(diary.label_of(diary.AREAS, a)) for a in entry.areas)
    pain = _("Pain {pain} of 10").format(pain=entry.pain) + (f" ({where})" if where else "")
    out.write(clean(pain + ". ") + saved + "\n")
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

    saved = _write(_("pain reliever"), lambda journal: diary.record_reliever(journal, entry))
    amount = f", {entry.amount}" if entry.amount else ""
    out.write(clean(f"{entry.name}{amount}. ") + saved + "\n")
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


def cmd_episode(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach episode start [--at TIME] [--trigger T ...]`` or ``spasmcoach episode end [--at TIME]``."""
    at = _when(args.at)
    said: list[str] = []

    def record(journal: Journal) -> Receipt:
        try:
            if args.action == "start":
                receipt = episodes.start(journal, at=at, triggers=args.trigger or ())
            else:
                receipt = episodes.end(journal, episodes.open_episode(journal), at=at)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if receipt.saved:
            said.append(_("Saved. {episode}.").format(episode=episodes.describe(episodes.episodes(journal)[-1])))
        else:
            said.append(receipt.sentence(_("It")))
        return receipt

    if args.action == "end" and args.trigger:
        raise UsageError(_("--trigger goes with 'episode start' (what set the spasm off)"))
    _write("episode", record)
    out.write(clean(" ".join(said)) + "\n")
    return 0


def cmd_episodes(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach episodes [--json]``: every episode with its start, end, length and triggers."""
    found: list[episodes.Episode] = []
    if paths.journal_path().exists():
        try:
            with Journal.open() as journal:
                found = episodes.episodes(journal)
        except JournalError as exc:
            raise UsageError(str(exc)) from None
    if args.json:
        json.dump([episodes.to_json(e) for e in found], out, ensure_ascii=False)
        out.write("\n")
    elif not found:
        out.write(_("No episodes recorded yet. 'spasmcoach episode start' records when a spasm started.\n"))
    for episode in [] if args.json else found:
        out.write(clean(episodes.describe(episode)) + "\n")
    return 0


AddCommand = Callable[[str, Callable[[argparse.Namespace, TextIO], int], str], argparse.ArgumentParser]


def add_parsers(command: AddCommand) -> None:
    """The diary's sub-commands, added through the parser's ``command(name, handler, text)`` helper."""
    checkin = command("checkin", cmd_checkin, _("record how your back is now (pain 0-10, where, what it is like)"))
    checkin.add_argument("--pain", type=int, required=True, metavar="N", help=_("pain from 0 (none) to 10 (worst)"))
    checkin.add_argument(
        "--area", nargs="+", metavar="AREA", help=_("where: {areas}").format(areas=", ".join(t.id for t in diary.AREAS))
    )
    checkin.add_argument(
        "--quality",
        nargs="+",
        metavar="WORD",
        help=_("what it is like: {value}").format(value=", ".join(t.id for t in diary.QUALITIES)),
    )
    checkin.add_argument(
        "--helped",
        nargs="+",
        metavar="TAG",
        help=_("what helped since last time: {value}").format(value=", ".join(t.id for t in diary.HELPED)),
    )
    checkin.add_argument(
        "--symptom", nargs="+", metavar="S", help=_("numbness, tingling, weakness, both-legs, saddle, bladder-bowel")
    )
    checkin.add_argument("--note", metavar="TEXT", help=_("anything else, in your own words"))
    checkin.add_argument("--at", metavar="TIME", help=_("when, if not now (e.g. 2026-11-01T08:30)"))
    reliever = command("reliever", cmd_reliever, _("record that you took a pain reliever (the app never suggests one)"))
    reliever.add_argument("name", metavar="NAME", help=_("its name, as on the pack"))
    reliever.add_argument("--amount", metavar="TEXT", help=_("how much, in your own words (e.g. '2 tablets')"))
    reliever.add_argument("--at", metavar="TIME", help=_("when, if not now (e.g. 2026-11-01T08:30)"))
    episode = command("episode", cmd_episode, _("record that a spasm started, or that your back has settled"))
    episode.add_argument("action", choices=("start", "end"), help=_("start: the spasm began; end: it has settled"))
    episode.add_argument("--at", metavar="TIME", help=_("when, if not now (e.g. 2026-11-01T08:30)"))
    triggers = ", ".join(t.id for t in diary.TRIGGERS)
    episode.add_argument(
        "--trigger", nargs="+", metavar="T", help=_("with start, what set it off: {triggers}").format(triggers=triggers)
    )
    listing = command("episodes", cmd_episodes, _("list the episodes of spasm: start, end, length and triggers"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
