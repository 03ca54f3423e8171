"""Sharing routines: export, import and the round trip; hostile packages refused before anything is installed."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from spasmcoach import cli
from spasmcoach.core import loader, paths, sharing

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>\n'
ROUTINE = """title: My physio's routine
kind: release
area: lower-back
cautions: [Stop at once if pain increases.]
steps:
  - name: Knee hug
    instructions: Hug one knee gently towards your chest.
    hold: 10s
    reps: 2
    rest: 5
    sides: both
    image: my-knee-hug.svg
  - name: Breathe
    instructions: Lie still and breathe slowly.
    duration: 1:00
"""


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def timeline_json(routine_id: str) -> object:
    code, text = run("show", routine_id, "--json")
    assert code == 0
    return json.loads(text)


@pytest.fixture
def own_routine(spasmcoach_home: Path) -> Path:
    """A user routine that uses one of the user's own pictures."""
    (spasmcoach_home / "routines").mkdir(parents=True)
    (spasmcoach_home / "illustrations").mkdir()
    (spasmcoach_home / "illustrations" / "my-knee-hug.svg").write_bytes(SVG)
    path = spasmcoach_home / "routines" / "physio-plan.yaml"
    path.write_text(ROUTINE)
    return path


def test_export_import_round_trip_keeps_the_timeline_and_pictures(
    own_routine: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = timeline_json("physio-plan")
    code, text = run("export", "physio-plan", "-o", str(tmp_path / "plan"))
    assert code == 0 and "plan.spasmcoach" in text
    package = tmp_path / "plan.spasmcoach"
    assert stat.S_IMODE(package.stat().st_mode) == 0o644  # a file to hand on, not a private one
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "pictures/my-knee-hug.svg", "routine.yaml"]

    fresh = tmp_path / "someone-else"
    monkeypatch.setenv("SPASMCOACH_HOME", str(fresh))
    code, text = run("import", str(package))
    assert code == 0 and "Installed 'physio-plan' with 1 picture" in text
    assert timeline_json("physio-plan") == before
    assert (fresh / "illustrations" / "my-knee-hug.svg").read_bytes() == SVG
    first_line = (fresh / "routines" / "physio-plan.yaml").read_text().splitlines()[0]
    assert first_line == sharing.SCHEMA_LINE and (fresh / "routines" / "routine.schema.json").is_file()

    code, _ = run("export", "physio-plan", "-o", str(tmp_path / "again.spasmcoach"))
    monkeypatch.setenv("SPASMCOACH_HOME", str(tmp_path / "third"))
    assert run("import", str(tmp_path / "again.spasmcoach"))[0] == 0
    assert timeline_json("physio-plan") == before
    assert (tmp_path / "third" / "illustrations" / "my-knee-hug.svg").read_bytes() == SVG


def test_a_bundled_routine_exports_without_copying_bundled_pictures(tmp_path: Path) -> None:
    assert run("export", "desk-break", "-o", str(tmp_path / "desk.spasmcoach"))[0] == 0
    with zipfile.ZipFile(tmp_path / "desk.spasmcoach") as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "routine.yaml"]


def test_import_never_overwrites_without_replace(
    own_routine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("export", "physio-plan", "-o", str(tmp_path / "plan.spasmcoach"))
    own_routine.write_text(ROUTINE.replace("My physio's routine", "Edited by me"))
    code, _ = run("import", str(tmp_path / "plan.spasmcoach"))
    assert code == 1 and "--replace" in capsys.readouterr().err
    assert "Edited by me" in own_routine.read_text()
    assert run("import", str(tmp_path / "plan.spasmcoach"), "--replace")[0] == 0
    assert "My physio's routine" in own_routine.read_text()


def test_a_plain_yaml_file_imports_after_validation(spasmcoach_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "from-email.yaml"
    source.write_text(ROUTINE.replace("image: my-knee-hug.svg", "image: knee-to-chest.svg"))
    assert run("import", str(source))[0] == 0
    assert loader.load_library().get("from-email") is not None


def package_bytes(members: dict[str, bytes], manifest: dict[str, object] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = manifest or {"format": 1, "id": "evil", "title": "Evil", "routine": "routine.yaml", "pictures": []}
        archive.writestr("manifest.json", json.dumps(document))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_link(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": 1, "id": "evil", "pictures": []}))
        archive.writestr("routine.yaml", ROUTINE)
        info = zipfile.ZipInfo(name)
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def encrypted() -> bytes:
    data = bytearray(package_bytes({"routine.yaml": ROUTINE.encode()}))
    # set the "encrypted" flag on every central-directory entry
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) != -1:
        data[index + 8] |= 0x01
        index += 4
    return bytes(data)


HOSTILE = {
    "traversal": (package_bytes({"routine.yaml": ROUTINE.encode(), "../../evil.yaml": b"x"}), "leaves the package"),
    "absolute": (package_bytes({"routine.yaml": ROUTINE.encode(), "/etc/cron.d/x": b"x"}), "leaves the package"),
    "windows drive": (package_bytes({"routine.yaml": ROUTINE.encode(), "C:/x.yaml": b"x"}), "Windows"),
    "symlink": (with_link("pictures/link.svg"), "symbolic link"),
    "zip bomb": (package_bytes({"routine.yaml": b"#" + b" " * (3 * 1024 * 1024)}), "too large"),
    "picture bomb": (
        package_bytes(
            {"routine.yaml": ROUTINE.encode(), "pictures/a.svg": b"\0" * (3 * 1024 * 1024)},
            {"format": 1, "id": "evil", "pictures": ["a.svg"]},
        ),
        "zip bomb",
    ),
    "too many": (package_bytes({f"pictures/p{i}.svg": SVG for i in range(200)}), "at most"),
    "unlisted member": (package_bytes({"routine.yaml": ROUTINE.encode(), "extra.sh": b"rm -rf"}), "does not list"),
    "missing manifest picture": (
        package_bytes({"routine.yaml": ROUTINE.encode()}, {"format": 1, "id": "evil", "pictures": ["gone.svg"]}),
        "does not hold",
    ),
    "no routine": (package_bytes({}), "has no routine.yaml"),
    "bad manifest": (package_bytes({"routine.yaml": ROUTINE.encode()}, {"format": 99, "id": "evil"}), "format"),
    "bad id": (package_bytes({"routine.yaml": ROUTINE.encode()}, {"format": 1, "id": "../../x"}), "id"),
    "not a zip": (b"just some text, not a package", "not a zip"),
    "encrypted": (encrypted(), "encrypted"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=HOSTILE)
def test_hostile_packages_are_refused_before_anything_is_installed(
    case: str, spasmcoach_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, words = HOSTILE[case]
    package = tmp_path / "gift.spasmcoach"
    package.write_bytes(data)
    code, _ = run("import", str(package))
    err = capsys.readouterr().err
    assert code == 1 and words in err and "Traceback" not in err, err
    routines = spasmcoach_home / "routines"
    assert not routines.exists() or not any(p.suffix == ".yaml" for p in routines.iterdir())
    assert not (spasmcoach_home / "illustrations").exists()
    assert not (tmp_path.parent / "evil.yaml").exists()


def test_a_routine_with_mistakes_names_the_file_inside_the_package(
    spasmcoach_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = ROUTINE.replace("sides: both", "sides: bothe")
    package = tmp_path / "broken.spasmcoach"
    package.write_bytes(package_bytes({"routine.yaml": broken.encode()}))
    code, text = run("import", str(package))
    assert code == 1
    assert f"{package}!routine.yaml:11:" in text and "sides" in text and "both" in text
    assert "nothing was installed" in capsys.readouterr().err


def test_special_files_are_refused_without_hanging(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.spasmcoach"
    os.mkfifo(fifo)
    assert run("import", str(fifo))[0] == 1
    assert "FIFO" in capsys.readouterr().err
    assert run("export", "desk-break", "-o", str(fifo))[0] == 1
    assert "FIFO" in capsys.readouterr().err


def test_schema_command_copies_the_schemas_beside_the_users_routines(spasmcoach_home: Path) -> None:
    code, text = run("schema")
    assert code == 0
    copy = paths.user_routines_dir() / "routine.schema.json"
    assert str(copy) in text and copy.is_file()
    shipped = Path(text.splitlines()[0])
    assert copy.read_bytes() == shipped.read_bytes()
    copy.write_text("{}")  # an old copy is refreshed
    run("schema")
    assert copy.read_bytes() == shipped.read_bytes()


@pytest.mark.parametrize(
    "command", [["validate"], ["import"], ["export", "desk-break", "-o"], ["handout", "desk-break", "-o"]]
)
def test_a_name_longer_than_the_system_allows_is_one_clear_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = str(tmp_path / ("y" * 300 + ".yaml"))
    code, _ = run(*command, long_name)
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("spasmcoach: ") and err.count("\n") == 1 and "Traceback" not in err
