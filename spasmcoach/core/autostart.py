"""Start at login: an XDG autostart entry that starts SpasmCoach hidden, so timers and reminders keep running.

The entry is ``$XDG_CONFIG_HOME/autostart/<app id>.desktop`` (``~/.config/autostart`` by default), which
GNOME, KDE Plasma, Xfce, Cinnamon, MATE, LXQt and systemd's xdg-autostart generator all read. Its
``Exec=`` names this installation's launcher by absolute path and adds ``--hidden``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from . import storage
from .desktop_entry import config_home, desktop_file_name, launcher_command, with_command

HIDDEN_OPTION = "--hidden"
WHAT = "start-at-login entry"

_TEMPLATE = """[Desktop Entry]
Type=Application
Name=SpasmCoach
Comment=Keeps your ice and heat timers running; opens hidden
Exec=spasmcoach
Icon=io.github.spasmcoach.SpasmCoach
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
"""


def autostart_path(environ: Mapping[str, str] | None = None) -> Path:
    return config_home(environ) / "autostart" / desktop_file_name()


def entry_text(command: Sequence[str] | None = None) -> str:
    """The autostart entry for ``command`` (default: this installation's launcher) plus ``--hidden``."""
    argv = [*(command or launcher_command()), HIDDEN_OPTION]
    return with_command(_TEMPLATE, argv)


def is_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """True when our autostart entry exists (a desktop may also disable it with ``Hidden=true``)."""
    path = autostart_path(environ)
    try:
        text = storage.read_bytes(path, 64 * 1024, WHAT).decode("utf-8", errors="replace")
    except (storage.StorageError, OSError):
        return False
    return "\nHidden=true" not in text and "X-GNOME-Autostart-enabled=false" not in text


def enable(command: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Write the autostart entry; StorageError with a calm message naming the file if that fails."""
    path = autostart_path(environ)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"Cannot create the folder {path.parent}: {exc.strerror or exc}."
        raise storage.StorageError(exc.errno, message) from exc
    storage.write_bytes_atomic(path, entry_text(command).encode("utf-8"), WHAT)
    return path


def disable(environ: Mapping[str, str] | None = None) -> bool:
    """Remove the autostart entry; True if there was one. StorageError if it cannot be removed."""
    path = autostart_path(environ)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise storage.StorageError(exc.errno, f"Cannot remove the {WHAT} {path}: {exc.strerror or exc}.") from exc
    storage.fsync_dir(path.parent)
    return True
