"""Desktop entries (freedesktop.org): the XDG folders, the command that starts this SpasmCoach, ``Exec=`` lines.

Used by ``spasmcoach desktop install`` (the menu entry) and by :mod:`.autostart` (start at login). The
command always names the launcher of the Python that runs now, by absolute path, so the menu entry starts
this installation even when it is not on the ``PATH`` the desktop session sees.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path

from .app_id import APP_ID

LAUNCHER = "spasmcoach"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")  # an argument with one of these must be quoted (Desktop Entry spec)


def _xdg_home(variable: str, default: str, environ: Mapping[str, str] | None) -> Path:
    """``$variable`` if it is an absolute path (the XDG spec says to ignore a relative one), else ``~/default``."""
    env = os.environ if environ is None else environ
    value = env.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    home = env.get("HOME") or str(Path.home())
    return Path(home) / default


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME`` or ``~/.local/share``: menu entries, icons, metainfo, MIME types."""
    return _xdg_home("XDG_DATA_HOME", ".local/share", environ)


def config_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME`` or ``~/.config``: the autostart folder."""
    return _xdg_home("XDG_CONFIG_HOME", ".config", environ)


def desktop_file_name() -> str:
    return f"{APP_ID}.desktop"


def _script_dirs() -> list[Path]:
    """Where pip puts console scripts for this interpreter: its own scheme first, then the user scheme."""
    folders: list[Path] = []
    schemes = [None, f"{os.name}_user"]
    for scheme in schemes:
        try:
            folder = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        if folder and Path(folder) not in folders:
            folders.append(Path(folder))
    return folders


def launcher_command() -> list[str]:
    """The absolute command that starts this SpasmCoach.

    A frozen build runs its own executable; an installed one its ``spasmcoach`` launcher; a bare source
    checkout ``python -m spasmcoach`` with this interpreter.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).absolute())]
    suffix = ".exe" if os.name == "nt" else ""
    for folder in _script_dirs():
        script = folder / f"{LAUNCHER}{suffix}"
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "spasmcoach"]


def quote_arg(arg: str) -> str:
    """One ``Exec=`` argument, quoted as the Desktop Entry spec asks (then escaped as a string value)."""
    if arg and not (set(arg) & _RESERVED) and "%" not in arg:
        return arg
    inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg).replace("%", "%%")
    quoted = f'"{inner}"'
    return quoted.replace("\\", "\\\\")  # the value itself is a string: each backslash is written twice


def exec_line(argv: Sequence[str]) -> str:
    """The ``Exec=`` value for ``argv``; a newline cannot be expressed and is refused."""
    if any("\n" in arg or "\r" in arg for arg in argv):
        raise ValueError("a command with a line break cannot go into a desktop entry")
    return " ".join(quote_arg(arg) for arg in argv)


def with_command(template: str, argv: Sequence[str], extra: Mapping[str, str] | None = None) -> str:
    """``template`` (a desktop entry) with its ``Exec=`` set to ``argv`` and ``TryExec=`` to ``argv[0]``.

    ``extra`` keys are set in the ``[Desktop Entry]`` group too (replaced where present, else added). What the
    template's own ``Exec=`` has after its program (``open %f``: how the desktop hands over a file) is kept.
    """
    command = exec_line(argv)
    tail = template_arguments(template)
    values = {
        "Exec": f"{command} {tail}" if tail else command,
        "TryExec": argv[0].replace("\\", "\\\\"),
        **(extra or {}),
    }
    lines = template.splitlines()
    out: list[str] = []
    group = ""
    seen: set[str] = set()
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            if group == "[Desktop Entry]":
                out.extend(f"{key}={value}" for key, value in values.items() if key not in seen)
                seen.update(values)
            group = stripped
        key = line.split("=", 1)[0].strip() if "=" in line else ""
        if group == "[Desktop Entry]" and key in values:
            out.append(f"{key}={values[key]}")
            seen.add(key)
            continue
        out.append(line)
    if group == "[Desktop Entry]":
        out.extend(f"{key}={value}" for key, value in values.items() if key not in seen)
    return "\n".join(out) + "\n"


def template_arguments(template: str) -> str:
    """The arguments after the program in the template's ``[Desktop Entry]`` ``Exec=`` (our own, trusted text)."""
    group = ""
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            group = stripped
        elif group == "[Desktop Entry]" and stripped.startswith("Exec="):
            parts = stripped.removeprefix("Exec=").split(None, 1)
            return parts[1].strip() if len(parts) > 1 else ""
    return ""
