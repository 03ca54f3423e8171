"""Routines handed from one person to another: ``.spasmcoach`` packages (a zip) and plain ``.yaml`` files.

A package holds ``manifest.json`` (format, routine id, title, picture names), the routine file and the
user's own pictures it uses (bundled illustrations are in every install, so they are not copied).
Everything in a package is checked before anything is installed: names that leave the package or are
absolute, links, encrypted or oversized members, too many members, zip bombs (uncompressed size and
ratio), and then the routine itself with the loader's own rules, its errors naming the file inside
the package. Installing never overwrites a routine or a picture unless asked to.
"""

from __future__ import annotations

import io
import json
import re
import stat
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from spasmcoach import __version__
from spasmcoach.core import loader, paths, storage
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.model import Routine
from spasmcoach.core.yamlsource import MAX_FILE_BYTES, Problem, RoutineFileError

SUFFIX = ".spasmcoach"
FORMAT = 1
MANIFEST = "manifest.json"
ROUTINE_MEMBER = "routine.yaml"
PICTURES = "pictures"
MAX_PACKAGE_BYTES = 32 * 1024 * 1024
MAX_MEMBERS = 130  # the manifest, the routine and up to 128 pictures
MAX_PICTURE_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; text compresses well, but not a thousandfold
SCHEMA_LINE = "# yaml-language-server: $schema=routine.schema.json"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_PICTURE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,120}\.(?:svg|png|jpe?g)\Z", re.IGNORECASE)


class PackageError(Exception):
    """A package or file that cannot be imported or exported; ``str()`` says why in one line."""


class AlreadyInstalled(PackageError):
    """Installing would replace a routine (or picture) the user has; ask, then pass ``replace=True``."""

    def __init__(self, message: str, existing: Path) -> None:
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class Package:
    """A checked package or routine file, ready to install: the routine's bytes and its pictures."""

    source: Path
    routine_id: str
    title: str
    routine_bytes: bytes
    pictures: dict[str, bytes]


@dataclass(frozen=True)
class Installed:
    """What an install wrote."""

    routine: Path
    pictures: tuple[Path, ...]
    replaced: bool


def user_pictures_dir() -> Path:
    """The user's own pictures (looked up before the bundled illustrations)."""
    return loader.image_dirs()[0]


# -- export ------------------------------------------------------------------------------------------------


def _user_pictures(routine: Routine) -> dict[str, Path]:
    """The pictures of ``routine`` that come from the user's folder, by name."""
    own = user_pictures_dir()
    finder = loader.ImageFinder(loader.image_dirs())
    found: dict[str, Path] = {}
    for step in routine.steps:
        for name in step.images:
            path = finder.find(name)
            if path is not None and path.parent.resolve() == own.resolve():
                found[name] = path
    return found


def export_routine(routine: Routine, target: Path) -> Path:
    """Write ``routine`` and the user's pictures it uses as one package at ``target``; the path written."""
    if routine.path is None:
        raise PackageError(_("the routine '{id}' has no file to export").format(id=routine.id))
    if target.suffix != SUFFIX:
        target = target.with_name(target.name + SUFFIX)
    routine_bytes = storage.read_bytes(routine.path, MAX_FILE_BYTES, N_("routine file"))
    pictures = {
        name: storage.read_bytes(path, MAX_PICTURE_BYTES, N_("picture"))
        for name, path in _user_pictures(routine).items()
    }
    manifest = {
        "format": FORMAT,
        "generator": f"SpasmCoach {__version__}",
        "id": routine.id,
        "title": routine.title,
        "routine": ROUTINE_MEMBER,
        "pictures": sorted(pictures),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        archive.writestr(ROUTINE_MEMBER, routine_bytes)
        for name in sorted(pictures):
            archive.writestr(f"{PICTURES}/{name}", pictures[name])
    storage.write_bytes_atomic(target, buffer.getvalue(), N_("routine package"))
    return target


# -- reading a package -------------------------------------------------------------------------------------


def _check_member(info: zipfile.ZipInfo, where: str) -> None:
    """PackageError for a member that could leave the package, is a link, is encrypted or is too big."""
    name = info.filename
    pure = PurePosixPath(name)
    if not name or "\\" in name or name.startswith("/") or pure.is_absolute() or ".." in pure.parts:
        raise PackageError(
            _("{where}: the member name '{name}' leaves the package; refused").format(where=where, name=name)
        )
    if re.match(r"[A-Za-z]:", name):
        raise PackageError(
            _("{where}: the member name '{name}' is an absolute Windows path; refused").format(where=where, name=name)
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PackageError(
            _("{where}: '{name}' is a symbolic link; packages may not hold links").format(where=where, name=name)
        )
    if info.flag_bits & 0x1:
        raise PackageError(
            _("{where}: '{name}' is encrypted; SpasmCoach packages are never encrypted").format(where=where, name=name)
        )
    limit = MAX_FILE_BYTES if name in (MANIFEST, ROUTINE_MEMBER) else MAX_PICTURE_BYTES
    if info.file_size > limit:
        raise PackageError(
            _("{where}: '{name}' is too large ({size} bytes; at most {limit})").format(
                where=where, name=name, size=f"{info.file_size:,}", limit=f"{limit:,}"
            )
        )
    if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
        raise PackageError(
            _("{where}: '{name}' expands {ratio}-fold; refused as a zip bomb").format(
                where=where, name=name, ratio=info.file_size // info.compress_size
            )
        )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """The member's bytes, read bounded (a lying header cannot make it larger than it said)."""
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise PackageError(
            _("{where}: '{name}' is not the size its header says; the package is damaged").format(
                where=where, name=info.filename
            )
        )
    return data


def _manifest(data: bytes, where: str) -> tuple[str, str, list[str]]:
    """(routine id, title, picture names) from the manifest; PackageError naming the field."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise PackageError(
            _("{where}: is not valid JSON ({reason})").format(where=f"{where}!{MANIFEST}", reason=exc)
        ) from None
    if not isinstance(document, dict):
        raise PackageError(_("{where}: must be a JSON object").format(where=f"{where}!{MANIFEST}"))
    if document.get("format") != FORMAT:
        raise PackageError(
            _("{where}: format: {found} is not {format}; update SpasmCoach").format(
                where=f"{where}!{MANIFEST}", found=repr(document.get("format")), format=FORMAT
            )
        )
    routine_id, title, pictures = document.get("id"), document.get("title", ""), document.get("pictures", [])
    if not isinstance(routine_id, str) or not _ID.match(routine_id) or len(routine_id) > 64:
        raise PackageError(
            _("{where}: id: must be lowercase letters, digits and hyphens").format(where=f"{where}!{MANIFEST}")
        )
    if document.get("routine", ROUTINE_MEMBER) != ROUTINE_MEMBER:
        raise PackageError(
            _("{where}: routine: must be '{member}'").format(where=f"{where}!{MANIFEST}", member=ROUTINE_MEMBER)
        )
    if not isinstance(pictures, list) or not all(isinstance(p, str) and _PICTURE.match(p) for p in pictures):
        raise PackageError(
            _("{where}: pictures: must be a list of plain .svg, .png or .jpg file names").format(
                where=f"{where}!{MANIFEST}"
            )
        )
    return routine_id, str(title), pictures


def read_package(path: Path) -> Package:
    """A checked package (nothing installed yet); PackageError or RoutineFileError naming what is wrong."""
    where = str(path)
    data = storage.read_bytes(path, MAX_PACKAGE_BYTES, N_("routine package"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageError(
            _("{where}: is not a SpasmCoach package (not a zip file: {reason})").format(where=where, reason=exc)
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise PackageError(
                _("{where}: holds {count} files; a package holds at most {limit}").format(
                    where=where, count=len(members), limit=MAX_MEMBERS
                )
            )
        names = [m.filename for m in members]
        if len(set(names)) != len(names):
            raise PackageError(_("{where}: holds the same file name twice; refused").format(where=where))
        for info in members:
            _check_member(info, where)
        if sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
            raise PackageError(
                _("{where}: unpacks to more than {limit} MiB; refused").format(
                    where=where, limit=MAX_TOTAL_BYTES // (1024 * 1024)
                )
            )
        by_name = {m.filename: m for m in members if not m.is_dir()}
        for required in (MANIFEST, ROUTINE_MEMBER):
            if required not in by_name:
                raise PackageError(
                    _("{where}: has no {member}; it is not a SpasmCoach package").format(where=where, member=required)
                )
        routine_id, title, picture_names = _manifest(_read_member(archive, by_name[MANIFEST], where), where)
        expected = {MANIFEST, ROUTINE_MEMBER, *(f"{PICTURES}/{p}" for p in picture_names)}
        extra = sorted(set(by_name) - expected)
        if extra:
            raise PackageError(
                _("{where}: holds '{name}', which its manifest does not list; refused").format(
                    where=where, name=extra[0]
                )
            )
        missing = sorted(expected - set(by_name))
        if missing:
            raise PackageError(
                _("{where}: lists '{name}' in its manifest but does not hold it").format(where=where, name=missing[0])
            )
        routine_bytes = _read_member(archive, by_name[ROUTINE_MEMBER], where)
        pictures = {p: _read_member(archive, by_name[f"{PICTURES}/{p}"], where) for p in picture_names}
    package = Package(path, routine_id, title, routine_bytes, pictures)
    validate(package)
    return package


def read_routine_file(path: Path) -> Package:
    """A plain routine ``.yaml`` file as a package (its pictures must already be available)."""
    data = storage.read_bytes(path, MAX_FILE_BYTES, N_("routine file"))
    routine_id = path.stem
    if not _ID.match(routine_id):
        raise PackageError(
            _("{where}: the file name must be a routine id (lowercase letters, digits, hyphens)").format(where=path)
        )
    package = Package(path, routine_id, "", data, {})
    validate(package, display=str(path))
    return package


def validate(package: Package, display: str | None = None) -> Routine:
    """Load the package's routine with the loader's own rules, in a scratch folder; errors name the member."""
    shown = display or f"{package.source}!{ROUTINE_MEMBER}"
    with tempfile.TemporaryDirectory(prefix="spasmcoach-import-") as scratch:
        folder = Path(scratch)
        (folder / PICTURES).mkdir()
        for name, data in package.pictures.items():
            (folder / PICTURES / name).write_bytes(data)
        routine_file = folder / f"{package.routine_id}.yaml"
        routine_file.write_bytes(package.routine_bytes)
        try:
            return loader.load_routine(routine_file, images=[folder / PICTURES, *loader.image_dirs()])
        except RoutineFileError as exc:
            problems = [
                Problem(
                    shown if p.file.endswith(routine_file.name) else p.file.replace(scratch, shown),
                    p.line,
                    p.column,
                    p.field,
                    p.message,
                )
                for p in exc.problems
            ]
            raise RoutineFileError(problems) from None


# -- installing --------------------------------------------------------------------------------------------


def with_schema_line(text: bytes) -> bytes:
    """The routine's bytes with its first line pointing editors at the schema copy beside it."""
    lines = text.decode("utf-8-sig").splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return (SCHEMA_LINE + "\n" + "".join(lines)).encode("utf-8")


def install(package: Package, *, replace: bool = False) -> Installed:
    """Write the routine and its pictures into the user's folders; AlreadyInstalled unless ``replace``."""
    folder = paths.user_routines_dir()
    target = folder / f"{package.routine_id}.yaml"
    pictures_dir = user_pictures_dir()
    existed = target.exists()
    if existed and not replace:
        raise AlreadyInstalled(
            _("you already have a routine '{id}' ({path})").format(id=package.routine_id, path=target), target
        )
    for name, data in package.pictures.items():
        current = pictures_dir / name
        if current.exists() and not replace and storage.read_bytes(current, MAX_PICTURE_BYTES, N_("picture")) != data:
            raise AlreadyInstalled(
                _("you already have a different picture called '{name}' ({path})").format(name=name, path=current),
                current,
            )
    written = []
    for name, data in sorted(package.pictures.items()):
        picture = pictures_dir / name
        storage.write_bytes_atomic(picture, data, N_("picture"))
        written.append(picture)
    storage.write_bytes_atomic(target, with_schema_line(package.routine_bytes), N_("routine file"))
    ensure_user_schemas()
    return Installed(target, tuple(written), existed)


def ensure_user_schemas() -> list[Path]:
    """Copy the shipped JSON Schemas into the user's routines folder when missing or out of date.

    So the ``$schema`` modeline of the user's own routines resolves in any editor. Returns the copies.
    """
    from spasmcoach.core import resources

    folder = paths.user_routines_dir()
    copies = []
    for name in ("routine.schema.json", "timers.schema.json"):
        shipped = storage.read_bytes(resources.schema_path(name), MAX_FILE_BYTES, N_("schema"))
        copy = folder / name
        try:
            current = storage.read_bytes(copy, MAX_FILE_BYTES, N_("schema")) if copy.exists() else None
        except storage.StorageError:
            current = None
        if current != shipped:
            storage.write_bytes_atomic(copy, shipped, N_("schema"))
        copies.append(copy)
    return copies


def routine_ids(routines: Sequence[Routine]) -> list[str]:
    """The ids of ``routines`` (for messages)."""
    return [r.id for r in routines]
