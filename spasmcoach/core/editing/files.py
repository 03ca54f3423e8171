"""The editor's files: saving a routine (keeping the previous version), deleting with undo, crash drafts.

Saving writes the user's routines folder atomically, with the ``$schema`` line and the schema copy beside
it; the version it replaces stays as ``<id>.yaml~``. Deleting moves the file aside (``<id>.yaml.deleted-…``,
which the loader skips) so it can be put back. A draft of unsaved work is kept as JSON in ``drafts/``,
written atomically, and offered back on the next start.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from spasmcoach.core import paths, sharing, storage
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.model import Routine

from .draft import RoutineDraft, from_document, from_routine, to_yaml

PREVIOUS_SUFFIX = "~"
MAX_DRAFT_BYTES = 2 * 1024 * 1024
MAX_ID = 60


class EditorFileError(Exception):
    """A routine or draft could not be written or moved; ``str()`` names the file calmly."""


@dataclass(frozen=True)
class Saved:
    path: Path
    previous: Path | None  # the copy of the version it replaced


def slug(title: str) -> str:
    """A file name from a title: ``Morning stretch`` -> ``morning-stretch`` (ASCII, hyphens)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:MAX_ID].strip("-")
    return text or "my-routine"


def free_id(title: str, taken: set[str], folder: Path | None = None) -> str:
    """A routine id from ``title`` that no routine has and no file in ``folder`` uses."""
    folder = folder or paths.user_routines_dir()
    base = slug(title)
    candidate, number = base, 1
    while candidate in taken or (folder / f"{candidate}.yaml").exists() or (folder / f"{candidate}.yml").exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def previous_path(path: Path) -> Path:
    return path.with_name(path.name + PREVIOUS_SUFFIX)


def save(draft: RoutineDraft, folder: Path | None = None) -> Saved:
    """Write the draft to ``<folder>/<routine_id>.yaml`` (the user's routines by default)."""
    if not draft.routine_id:
        raise ValueError("a draft is saved under an id; give it one first")
    folder = folder or paths.user_routines_dir()
    target = Path(draft.source) if draft.source else folder / f"{draft.routine_id}.yaml"
    previous = None
    try:
        if target.exists():
            old = storage.read_bytes(target, MAX_DRAFT_BYTES, N_("routine file"))
            previous = previous_path(target)
            storage.write_bytes_atomic(previous, old, N_("previous version"))
        storage.write_bytes_atomic(target, to_yaml(draft).encode("utf-8"), N_("routine file"))
    except storage.StorageError as exc:
        raise EditorFileError(str(exc)) from exc
    with contextlib.suppress(storage.StorageError):  # saved; only editors' completion would miss the schema
        sharing.ensure_user_schemas()
    return Saved(target, previous)


@dataclass(frozen=True)
class Opened:
    """A user routine file opened for editing: its draft, its text now, and whether saving rewrites it."""

    draft: RoutineDraft
    text: str
    rewrites: bool


def open_user_routine(routine: Routine) -> Opened:
    """The draft of a user routine from its file as written (from the loaded routine if that fails)."""
    assert routine.path is not None
    try:
        text = storage.read_bytes(routine.path, MAX_DRAFT_BYTES, N_("routine file")).decode("utf-8-sig")
        document = yaml.safe_load(text)  # the loader accepted this file just now: no tags, bounded size
    except (storage.StorageError, UnicodeDecodeError, yaml.YAMLError):
        text, document = "", None
    draft = from_document(document, routine.id, str(routine.path)) or from_routine(routine)
    text = text.replace("\r\n", "\n")
    return Opened(draft, text, text != to_yaml(draft))


def delete(path: Path) -> Path:
    """Move a user routine aside (never removed); returns where it went, for undo."""
    try:
        return storage.move_aside(path, "deleted")
    except storage.StorageError as exc:
        raise EditorFileError(
            _("The routine {file} could not be deleted: {reason}").format(file=path, reason=exc.reason)
        ) from exc


def undo_delete(aside: Path, original: Path) -> None:
    """Put a deleted routine back where it was (unless a new file took its name meanwhile)."""
    if os.path.lexists(original):
        raise EditorFileError(
            _("{file} exists again, so the deleted routine stays at {aside}.").format(file=original, aside=aside)
        )
    try:
        os.rename(aside, original)
    except OSError as exc:
        raise EditorFileError(
            _("The routine could not be put back from {aside}: {reason}").format(aside=aside, reason=exc.strerror)
        ) from exc
    storage.fsync_dir(original.parent)


# -- drafts -------------------------------------------------------------------------------------------------


def new_draft_key() -> str:
    return uuid.uuid4().hex


def write_draft(key: str, draft: RoutineDraft) -> None:
    """Keep unsaved work (atomically; called a second after the last change, off the GUI thread)."""
    document = {"version": 1, "saved_at": storage.format_time(storage.utc_now()), "draft": draft.to_json()}
    try:
        storage.write_json_atomic(paths.drafts_dir() / f"{key}.json", document, N_("draft"))
    except storage.StorageError as exc:
        raise EditorFileError(str(exc)) from exc


def remove_draft(key: str) -> None:
    with contextlib.suppress(OSError):  # an old draft is offered again next time; nothing is lost
        (paths.drafts_dir() / f"{key}.json").unlink(missing_ok=True)


@dataclass(frozen=True)
class KeptDraft:
    key: str
    saved_at: str
    draft: RoutineDraft


def read_drafts() -> list[KeptDraft]:
    """Unsaved work from earlier runs, newest first; an unreadable draft is moved aside, not lost."""
    kept = []
    try:
        files = sorted(paths.drafts_dir().glob("*.json"))
    except OSError:
        return []
    for path in files:
        try:
            document = json.loads(storage.read_bytes(path, MAX_DRAFT_BYTES, N_("draft")))
            kept.append(KeptDraft(path.stem, str(document["saved_at"]), RoutineDraft.from_json(document["draft"])))
        except (storage.StorageError, ValueError, KeyError, TypeError, AttributeError):
            with contextlib.suppress(storage.StorageError):
                storage.move_aside(path, "unreadable")
    return sorted(kept, key=lambda k: k.saved_at, reverse=True)
