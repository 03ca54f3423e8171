"""The terminal commands: list, validate, show, --version, and clear one-line errors."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from spasmcoach import __version__, cli

ROUTINE = """title: Knee test
kind: release
area: lower-back
get_ready: 5
steps:
  - name: Knee to chest
    hold: 20
    reps: 3
    rest: 10
    sides: both
"""


@pytest.fixture
def user_routine(spasmcoach_home: Path) -> Path:
    folder = spasmcoach_home / "routines"
    folder.mkdir(parents=True)
    path = folder / "knee-test.yaml"
    path.write_text(ROUTINE)
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out)
    return code, out.getvalue()


def test_show_json_gives_the_expanded_timeline(user_routine: Path) -> None:
    code, out = run("show", "knee-test", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["id"] == "knee-test" and doc["title"] == "Knee test" and doc["total"] == 175
    assert doc["phases"][0] == {
        "start": 0,
        "duration": 5,
        "step": "Knee to chest",
        "kind": "get_ready",
        "side": None,
        "rep": None,
    }
    assert doc["phases"][-1] == {
        "start": 155,
        "duration": 20,
        "step": "Knee to chest",
        "kind": "hold",
        "side": "right",
        "rep": 3,
    }
    assert len(doc["phases"]) == 12


def test_show_text(user_routine: Path) -> None:
    code, out = run("show", "knee-test")
    assert code == 0
    assert "Knee to chest · right · rep 3 of 3" in out and "Total 2:55" in out


def test_list_marks_user_routines_and_json(user_routine: Path) -> None:
    code, out = run("list", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["knee-test"]["origin"] == "user" and rows["knee-test"]["total"] == 175
    code, out = run("list")
    assert code == 0 and "knee-test" in out and "2 min 55 s" in out


def test_validate_reports_errors_and_exit_code(
    tmp_path: Path, user_routine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: -3\n")
    code, out = run("validate", str(bad), str(user_routine))
    assert code == 1
    assert f'{bad}:5:11: steps[0].hold: must be a positive duration, got "-3"' in out
    assert "1 of 2 files valid, 1 with errors" in out
    assert run("validate", str(user_routine))[0] == 0


def test_validate_defaults_to_the_routine_path_and_passes_on_bundled_files() -> None:
    code, out = run("validate")
    assert code == 0, out


def test_unknown_routine_is_one_clear_line(user_routine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("show", "no-such-routine")
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("spasmcoach: no routine called 'no-such-routine'. Known routines:") and "knee-test" in err
    assert "Traceback" not in err


def test_missing_path_to_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("validate", "/no/such/file.yaml")
    assert code == 1 and "no such file or folder" in capsys.readouterr().err


def test_module_entry_point_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "spasmcoach", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"spasmcoach {__version__}"
    result = subprocess.run([sys.executable, "-m", "spasmcoach", "frobnicate"], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_a_shared_routine_file_given_alone_opens_it_in_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file manager runs ``spasmcoach FILE.spasmcoach``: that is ``open FILE``, never a usage error."""
    opened: list[argparse.Namespace] = []

    def open_window(args: argparse.Namespace) -> int:
        opened.append(args)
        return 0

    monkeypatch.setattr(cli, "_open_window", open_window)
    assert cli.main(["/tmp/From my physio.SpasmCoach"]) == 0
    assert len(opened) == 1 and opened[0].open_file == "/tmp/From my physio.SpasmCoach"
    opened.clear()
    assert cli.main(["open"]) == 0 and opened[0].open_file is None


@pytest.mark.parametrize(
    "argv",
    [[], ["--hidden"], ["--theme", "dark"], ["--theme=light", "--hidden"], ["run", "warm-up", "--no-prompt"]],
)
def test_the_window_command_lines_parse_the_same_without_the_terminal_commands(argv: list[str]) -> None:
    """The light parser used when a command line only opens the window gives the same answer as the full one."""
    from spasmcoach.commands import main as commands

    assert cli._opens_window_only(argv)
    light = vars(commands.build_parser(full=False).parse_args(argv))
    assert light == vars(commands.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["list"], ["--help"], ["run", "--help"], ["--hidden", "log"], ["x.spasmcoach"]])
def test_other_command_lines_get_the_full_parser(argv: list[str]) -> None:
    """Anything else (a terminal command, help, a shared file) is parsed with every command known."""
    assert not cli._opens_window_only(argv)


@pytest.mark.slow
def test_opening_the_window_does_not_import_the_terminal_commands() -> None:
    """Parsing the window's command line leaves the terminal commands' modules unimported (start-up time),
    and a command's module is imported when it runs."""
    code = (
        "import io, sys; from spasmcoach import cli; from spasmcoach.commands import main as m\n"
        "m.build_parser(full=not cli._opens_window_only([])).parse_args([])\n"
        "names = ('diary', 'reminders', 'share', 'desktop', 'routines', 'history', 'timers')\n"
        "print(sorted(n for n in names if 'spasmcoach.commands.' + n in sys.modules))\n"
        "cli.main(['list'], io.StringIO())\n"
        "print('spasmcoach.commands.routines' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True"]
