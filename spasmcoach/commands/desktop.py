"""``spasmcoach desktop install|uninstall|autostart``: the menu entry, icons, metainfo and MIME type for this user.

Everything goes into the user's XDG data folder (``$XDG_DATA_HOME``, else ``~/.local/share``), named after
the one application id, so ``uninstall`` knows exactly what to remove. The desktop's caches are refreshed
with ``update-desktop-database``, ``gtk-update-icon-cache`` and ``update-mime-database`` where those tools
exist; a missing or failing tool is mentioned, never fatal.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from spasmcoach.core import autostart, resources, storage
from spasmcoach.core.app_id import APP_ID
from spasmcoach.core.desktop_entry import data_home, desktop_file_name, launcher_command, with_command
from spasmcoach.core.i18n import _

from .common import UsageError, clean

MAX_ASSET_BYTES = 4 * 1024 * 1024
TOOL_TIMEOUT_S = 30


def planned_files(environ: Mapping[str, str] | None = None) -> dict[Path, Path | None]:
    """Target path → bundled source (None for the desktop entry, which is written with this launcher)."""
    share = data_home(environ)
    files: dict[Path, Path | None] = {share / "applications" / desktop_file_name(): None}
    icons = resources.icons_dir()
    for source in sorted(icons.glob(f"hicolor/*/apps/{APP_ID}.*")):
        files[share / "icons" / source.relative_to(icons)] = source
    desktop = resources.desktop_dir()
    files[share / "metainfo" / f"{APP_ID}.metainfo.xml"] = desktop / f"{APP_ID}.metainfo.xml"
    files[share / "mime" / "packages" / f"{APP_ID}.xml"] = desktop / f"{APP_ID}.mime.xml"
    return files


def _refresh_caches(share: Path, out: TextIO) -> None:
    """Tell the desktop about the change; each tool is optional."""
    jobs = (
        ("update-desktop-database", ["-q", str(share / "applications")], share / "applications"),
        ("gtk-update-icon-cache", ["-q", "-f", "-t", str(share / "icons" / "hicolor")], share / "icons" / "hicolor"),
        ("update-mime-database", [str(share / "mime")], share / "mime"),
    )
    for tool, args, folder in jobs:
        program = shutil.which(tool)
        if program is None or not folder.is_dir():
            continue
        try:
            result = subprocess.run(
                [program, *args], capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(
                _("note: {tool} did not run ({exc}); the menu may update after you log in again.").format(
                    tool=tool, exc=exc
                ),
                file=out,
            )
            continue
        if result.returncode != 0:
            first = (result.stderr.strip().splitlines() or ["no message"])[0]
            print(f"note: {tool} reported a problem: {clean(first)}", file=out)


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            _("cannot create the folder {parent}: {value}").format(parent=target.parent, value=exc.strerror or exc)
        ) from exc
    try:
        storage.write_bytes_atomic(target, data, _("desktop file"))
    except storage.StorageError as exc:
        raise UsageError(str(exc)) from exc


def install(out: TextIO, environ: Mapping[str, str] | None = None) -> int:
    share = data_home(environ)
    command = launcher_command()
    for target, source in planned_files(environ).items():
        if source is None:
            template = (resources.desktop_dir() / desktop_file_name()).read_text(encoding="utf-8")
            data = with_command(template, command).encode("utf-8")
        else:
            try:
                data = storage.read_bytes(source, MAX_ASSET_BYTES, _("bundled file"))
            except storage.StorageError as exc:
                raise UsageError(str(exc)) from exc
        _write(target, data)
        print(f"installed {clean(str(target))}", file=out)
    _refresh_caches(share, out)
    print(
        _("SpasmCoach is in your applications menu; it starts: {command}").format(command=clean(" ".join(command))),
        file=out,
    )
    print(_("Some desktops show a new entry only after you log out and in again."), file=out)
    return 0


def uninstall(out: TextIO, environ: Mapping[str, str] | None = None) -> int:
    share = data_home(environ)
    removed = 0
    for target in planned_files(environ):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UsageError(
                _("cannot remove {target}: {value}").format(target=target, value=exc.strerror or exc)
            ) from exc
        removed += 1
        print(f"removed {clean(str(target))}", file=out)
    _refresh_caches(share, out)
    if removed == 0:
        print(_("SpasmCoach was not in your applications menu; nothing to remove."), file=out)
    if autostart.is_enabled(environ):
        print(_("SpasmCoach still starts at login: 'spasmcoach desktop autostart off' stops that."), file=out)
    return 0


def set_autostart(on: bool, out: TextIO, environ: Mapping[str, str] | None = None) -> int:
    try:
        if on:
            path = autostart.enable(environ=environ)
            print(_("SpasmCoach will start hidden at login ({path}).").format(path=clean(str(path))), file=out)
        elif autostart.disable(environ):
            print(_("SpasmCoach will no longer start at login."), file=out)
        else:
            print(_("SpasmCoach was not set to start at login."), file=out)
    except storage.StorageError as exc:
        raise UsageError(str(exc)) from exc
    return 0


def cmd_desktop(args: argparse.Namespace, out: TextIO) -> int:
    if args.desktop_action == "install":
        return install(out)
    if args.desktop_action == "uninstall":
        return uninstall(out)
    return set_autostart(args.state == "on", out)


def add_parser(command: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``desktop`` and its actions, on the main parser's sub-command list."""
    text = _("add SpasmCoach to (or remove it from) your desktop's menu, or start it at login")
    desktop = command.add_parser("desktop", help=text, description=text)
    desktop.set_defaults(handler=cmd_desktop, window=False)
    actions = desktop.add_subparsers(dest="desktop_action", metavar="ACTION", required=True)
    actions.add_parser("install", help=_("the menu entry, icons, metainfo and file type, for this user"))
    actions.add_parser("uninstall", help=_("remove what 'install' put in place"))
    start = actions.add_parser("autostart", help=_("start SpasmCoach hidden at login (timers keep running)"))
    start.add_argument("state", choices=("on", "off"), help=_("on or off"))
