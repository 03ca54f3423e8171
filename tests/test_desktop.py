"""The menu entry, icons, AppStream metainfo, MIME type and start-at-login entry: one app id, valid files,
and ``spasmcoach desktop install|uninstall|autostart`` putting them in (and taking them out of) XDG folders."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from spasmcoach import __version__
from spasmcoach.core import autostart, desktop_entry, resources
from spasmcoach.core.app_id import APP_ID, MIME_TYPE
from spasmcoach.core.notify import Notifier

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = resources.desktop_dir() / f"{APP_ID}.desktop"
METAINFO = resources.desktop_dir() / f"{APP_ID}.metainfo.xml"
MIME_XML = resources.desktop_dir() / f"{APP_ID}.mime.xml"
SIZES = (48, 128, 256)


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed here (CI installs it: see .ci/apt-packages.txt)")
    return path


def entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Private XDG folders for this test, in this process and for subprocesses."""
    env = {
        "XDG_DATA_HOME": str(tmp_path / "share"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "user"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env


def spasmcoach(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcoach", *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


# -- one id, valid files -------------------------------------------------------------------------------------


def test_one_application_id_names_every_desktop_file() -> None:
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+)+\.[A-Za-z][A-Za-z0-9]*", APP_ID)
    assert entry(DESKTOP)["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("icon") == APP_ID
    mime = ET.parse(MIME_XML).getroot()
    ns = "{http://www.freedesktop.org/standards/shared-mime-info}"
    (mime_type,) = mime.findall(f"{ns}mime-type")
    assert mime_type.get("type") == MIME_TYPE
    assert mime_type.find(f"{ns}glob").get("pattern") == "*.spasmcoach"  # type: ignore[union-attr]
    assert not (ROOT / "assets" / "spasmcoach.desktop").exists()
    assert "setDesktopFileName(APP_ID)" in (ROOT / "spasmcoach" / "gui" / "app.py").read_text()


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    tool = need("desktop-file-validate")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_metainfo_passes_appstreamcli_validate() -> None:
    tool = need("appstreamcli")
    plain = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    pedantic = subprocess.run(
        [tool, "validate", "--no-net", "--pedantic", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert pedantic.returncode == 0, pedantic.stdout + pedantic.stderr
    issues = [line for line in pedantic.stdout.splitlines() if re.match(r"[EWIP]: ", line)]
    # Allowed: the capital letters of a reverse-DNS id (Flathub's own convention), and the newer
    # <developer> tag that appstream 0.16 does not know yet (1.0 wants it instead of <developer_name>).
    allowed = ("cid-contains-uppercase-letter", "unknown-tag developer")
    assert all(any(a in line for a in allowed) for line in issues), issues


def test_the_metainfo_says_what_the_store_needs() -> None:
    root = ET.parse(METAINFO).getroot()
    description = " ".join(root.find("description").itertext())  # type: ignore[union-attr]
    assert "not medical advice" in description
    assert "Stop at once if pain increases" in description
    releases = [r.get("version") for r in root.iter("release")]
    assert releases[0] == __version__, "the newest release must be the package version"
    assert "0.1.0" in releases
    assert root.find("content_rating").get("type", "").startswith("oars-")  # type: ignore[union-attr]
    assert root.findtext("provides/binary") == "spasmcoach"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    images = [image.text or "" for image in root.iter("image")]
    assert len(images) >= 3
    for url in images:  # each screenshot URL points at a file committed in docs/screenshots
        assert url.startswith("https://"), url
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[-1]).is_file(), url


def test_hicolor_icons_exist_at_every_size_and_match_the_svg() -> None:
    from PySide6.QtGui import QImage

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_icons
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert resources.app_icon_path().is_file()
    for size in SIZES:
        path = make_icons.png_path(resources.icons_dir(), size)
        committed = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
        assert (committed.width(), committed.height()) == (size, size), path
        fresh = make_icons.render(resources.app_icon_path(), size)
        worst = 0
        for y in range(0, size, max(1, size // 32)):
            for x in range(size):
                old, new = committed.pixelColor(x, y), fresh.pixelColor(x, y)
                pairs = ((old.red(), new.red()), (old.green(), new.green()), (old.blue(), new.blue()))
                worst = max(worst, abs(old.alpha() - new.alpha()), *(abs(a - b) for a, b in pairs))
        assert worst <= 3, f"{path} differs from the SVG: run python tools/make_icons.py"


# -- Exec= lines -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "written"),
    [
        ("/usr/bin/spasmcoach", "/usr/bin/spasmcoach"),
        ("/home/pat/my apps/bin/spasmcoach", '"/home/pat/my apps/bin/spasmcoach"'),
        ("/opt/$HOME/x", '"/opt/\\\\$HOME/x"'),
        ("/opt/100%/x", '"/opt/100%%/x"'),
        ('/opt/say "hi"/x', '"/opt/say \\\\"hi\\\\"/x"'),
        ("/opt/back\\slash", '"/opt/back\\\\\\\\slash"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_asks(arg: str, written: str) -> None:
    assert desktop_entry.exec_line([arg]) == written


def test_an_exec_line_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        desktop_entry.exec_line(["/opt/evil\nExec=rm"])


def test_an_oddly_named_install_folder_still_gives_a_valid_entry(tmp_path: Path) -> None:
    tool = need("desktop-file-validate")
    odd = ["/home/pat/My Apps (new)/$venv/bin/spasm%coach", "--hidden"]
    path = tmp_path / f"{APP_ID}.desktop"
    path.write_text(desktop_entry.with_command(DESKTOP.read_text(encoding="utf-8"), odd), encoding="utf-8")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_the_launcher_is_this_interpreters_spasmcoach_script() -> None:
    command = desktop_entry.launcher_command()
    assert Path(command[0]).is_absolute()
    if len(command) == 1:  # an installed launcher next to this Python (the venv's bin folder)
        assert Path(command[0]).name == "spasmcoach" and os.access(command[0], os.X_OK)
    else:
        assert command[1:] == ["-m", "spasmcoach"]


def test_without_a_launcher_the_command_is_this_python_with_dash_m(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(desktop_entry, "_script_dirs", lambda: [tmp_path])
    assert desktop_entry.launcher_command() == [str(Path(sys.executable).absolute()), "-m", "spasmcoach"]


def test_a_frozen_build_starts_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/SpasmCoach/spasmcoach")
    assert desktop_entry.launcher_command() == ["/opt/SpasmCoach/spasmcoach"]


def test_a_relative_xdg_folder_is_ignored_as_the_spec_says(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("XDG_CONFIG_HOME", "")
    assert desktop_entry.data_home() == tmp_path / ".local/share"
    assert autostart.autostart_path() == tmp_path / ".config/autostart" / f"{APP_ID}.desktop"


# -- desktop install / uninstall ---------------------------------------------------------------------------


def test_install_puts_everything_in_the_xdg_folders_and_uninstall_takes_it_out(xdg: dict[str, str]) -> None:
    share = Path(xdg["XDG_DATA_HOME"])
    neighbour = share / "applications" / "someone-else.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")

    result = spasmcoach("desktop", "install", env=xdg)
    assert result.returncode == 0, result.stderr
    installed = share / "applications" / f"{APP_ID}.desktop"
    values = entry(installed)
    command = values["Exec"]
    assert Path(command.split()[0]).is_absolute() and os.access(values["TryExec"], os.X_OK)
    assert values["Icon"] == APP_ID
    for size in SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (share / f"icons/hicolor/scalable/apps/{APP_ID}.svg").read_bytes() == resources.app_icon_path().read_bytes()
    assert (share / f"metainfo/{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    assert (share / f"mime/packages/{APP_ID}.xml").read_bytes() == MIME_XML.read_bytes()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
    # the menu entry's command really starts this SpasmCoach
    program = command.removesuffix(" open %f")
    assert command.endswith(" open %f") and values["MimeType"] == f"{MIME_TYPE};", "opening a package starts the import"
    version = subprocess.run([*program.split(), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"spasmcoach {__version__}", version.stderr

    result = spasmcoach("desktop", "uninstall", env=xdg)
    assert result.returncode == 0, result.stderr
    leftovers = [p for p in share.rglob(f"*{APP_ID}*")]
    assert leftovers == []
    assert neighbour.is_file(), "uninstall removed another application's entry"
    again = spasmcoach("desktop", "uninstall", env=xdg)
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_the_installed_mime_type_is_recognised(xdg: dict[str, str]) -> None:
    """The desktop's MIME database (read here by Qt's QMimeDatabase) knows ``*.spasmcoach`` after install."""
    need("update-mime-database")
    assert spasmcoach("desktop", "install", env=xdg).returncode == 0
    code = (
        "from PySide6.QtCore import QMimeDatabase; "
        "print(QMimeDatabase().mimeTypeForFile('back.spasmcoach', QMimeDatabase.MatchMode.MatchExtension).name())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ)
    assert result.stdout.strip() == MIME_TYPE, result.stderr


def test_install_works_without_any_cache_tools(xdg: dict[str, str], tmp_path: Path) -> None:
    bare = tmp_path / "empty-bin"
    bare.mkdir()
    result = spasmcoach("desktop", "install", env={**xdg, "PATH": str(bare)})
    assert result.returncode == 0, result.stderr
    assert (Path(xdg["XDG_DATA_HOME"]) / "applications" / f"{APP_ID}.desktop").is_file()


def test_install_refuses_a_fifo_in_place_of_the_entry_without_hanging(xdg: dict[str, str]) -> None:
    target = Path(xdg["XDG_DATA_HOME"]) / "applications" / f"{APP_ID}.desktop"
    target.parent.mkdir(parents=True)
    os.mkfifo(target)
    result = spasmcoach("desktop", "install", env=xdg)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(target) in lines[0] and "FIFO" in lines[0].upper(), result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def read_only_share(tmp_path: Path) -> Iterator[Path]:
    """A read-only filesystem as the data folder (root ignores permission bits, so mount one)."""
    mount = tmp_path / "ro-share"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_install_on_a_read_only_filesystem_is_one_calm_line(xdg: dict[str, str], read_only_share: Path) -> None:
    result = spasmcoach("desktop", "install", env={**xdg, "XDG_DATA_HOME": str(read_only_share)})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(read_only_share) in lines[0] and "read-only" in lines[0].lower(), result.stderr


# -- start at login ----------------------------------------------------------------------------------------


def test_autostart_on_writes_a_valid_hidden_entry_and_off_removes_it(xdg: dict[str, str]) -> None:
    path = Path(xdg["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"
    result = spasmcoach("desktop", "autostart", "on", env=xdg)
    assert result.returncode == 0, result.stderr
    values = entry(path)
    assert values["Exec"].endswith(" --hidden") and Path(values["Exec"].split()[0]).is_absolute()
    assert autostart.is_enabled()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    assert spasmcoach("desktop", "autostart", "off", env=xdg).returncode == 0
    assert not path.exists() and not autostart.is_enabled()
    assert "was not set" in spasmcoach("desktop", "autostart", "off", env=xdg).stdout


def test_an_entry_the_desktop_disabled_counts_as_off(xdg: dict[str, str]) -> None:
    path = autostart.enable()
    path.write_text(path.read_text() + "Hidden=true\n")
    assert not autostart.is_enabled()


def test_the_settings_switch_writes_and_removes_the_entry(xdg: dict[str, str], qapp: object) -> None:
    from PySide6.QtCore import QObject

    from spasmcoach.gui.login_item import start_at_login_action

    owner = QObject()
    notifier = Notifier()
    action = start_at_login_action(owner, notifier)
    assert not action.isChecked()
    action.setChecked(True)
    assert autostart.autostart_path().is_file()
    assert start_at_login_action(owner, notifier).isChecked(), "a new window shows what is on disk"
    action.setChecked(False)
    assert not autostart.autostart_path().exists()
    assert notifier.history == []


def test_the_settings_switch_reports_a_failure_and_shows_the_truth(xdg: dict[str, str], qapp: object) -> None:
    from PySide6.QtCore import QObject

    from spasmcoach.gui.login_item import start_at_login_action

    blocker = Path(xdg["XDG_CONFIG_HOME"]) / "autostart"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the folder should be")
    notifier = Notifier()
    owner = QObject()
    action = start_at_login_action(owner, notifier)
    action.setChecked(True)
    assert not action.isChecked()
    assert len(notifier.history) == 1 and str(blocker) in notifier.history[0].message


def test_the_hidden_option_is_parsed() -> None:
    from spasmcoach.commands.main import build_parser

    assert build_parser().parse_args(["--hidden"]).hidden is True
    assert build_parser().parse_args([]).hidden is False


@pytest.mark.slow
def test_started_hidden_the_app_runs_its_timers_without_a_window(spasmcoach_home: Path) -> None:
    """``spasmcoach --hidden`` (what the autostart entry runs): no window, timers restored; a later launch shows it."""
    env = {**os.environ, "SPASMCOACH_LOG_LEVEL": "INFO", "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "spasmcoach", "--hidden"], env=env, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line.rstrip())
            if "timers restored" in line:
                break
        assert any("started hidden" in line for line in seen), seen
        assert not any("window shown" in line for line in seen), seen
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        if proc.stderr is not None:
            proc.stderr.close()
