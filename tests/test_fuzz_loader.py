"""Fuzzing the routine and preset loaders with generated and mutated files.

Whatever a file holds (random bytes, broken YAML, wrong types, huge numbers, long strings, anchors and
aliases, invalid UTF-8), loading it either gives a routine or raises ``RoutineFileError`` whose every
problem reads ``file:line:col: ...`` with a position inside the file. It never raises anything else,
never hangs and never needs much memory. The inputs this fuzzing first found escaping (explicit tags on
values that do not fit, over-long image names, thousands of frames, ``- - - …`` nesting that crashed
libyaml's composer) keep their own tests at the end.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcoach.core import loader, resources
from spasmcoach.core.timers import load_presets
from spasmcoach.core.yamlsource import MAX_FILE_BYTES, RoutineFileError, display_name

SECONDS_PER_FILE = 15.0  # far above the slowest legitimate file (about 1.5 s for a dense 1 MiB file)
PEAK_BYTES = 256 * 1024 * 1024  # a dense 1 MiB file peaks near 150 MiB of Python objects; bombs cost ~0
BOMB_PEAK_BYTES = 16 * 1024 * 1024
BUNDLED = sorted(p for p in resources.routines_dir().glob("*.yaml") if not loader.is_preset_file(p))
PRESET_FILE = resources.routines_dir() / "timers.yaml"
FUZZ_SETTINGS = settings(
    max_examples=400,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STRUCTURED_SETTINGS = settings(FUZZ_SETTINGS, max_examples=150)  # nested data is slow to generate


# -- checking one file ------------------------------------------------------------------------------------


class Hang(Exception):
    """Raised by the alarm when one load takes longer than SECONDS_PER_FILE."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread if the block runs longer than ``seconds``."""

    def ring(_signum: int, _frame: FrameType | None) -> None:
        """Turn the alarm into an exception at the current line."""
        raise Hang(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def line_count(data: bytes) -> int:
    """Lines as YAML counts them (CR, LF, CRLF, NEL, LS and PS all end a line); by LF if not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.count(b"\n") + 1
    return len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text)) + 1


def assert_well_reported(exc: RoutineFileError, path: Path, data: bytes) -> None:
    """Every problem starts with ``<file>:<line>:<col>: `` and points inside the file."""
    assert exc.problems, "a RoutineFileError must name at least one problem"
    where = re.compile(re.escape(display_name(path)) + r":(\d+):(\d+): ")
    lines = line_count(data) + 1  # a mark may sit just after the last line break
    for problem in exc.problems:
        text = str(problem)
        match = where.match(text)
        assert match, f"not in file:line:col form: {text!r}"
        line, column = int(match.group(1)), int(match.group(2))
        assert 1 <= line <= lines and column >= 1, f"position outside the file: {text!r}"
    assert str(exc).startswith(display_name(path))


def check_file(
    path: Path, data: bytes, load: Callable[[Path], object], *, seconds: float = SECONDS_PER_FILE
) -> RoutineFileError | None:
    """Write ``data`` to ``path`` and load it; the only acceptable failure is a well-formed RoutineFileError."""
    path.write_bytes(data)
    try:
        with time_limit(seconds):
            load(path)
    except RoutineFileError as exc:
        assert_well_reported(exc, path, data)
        return exc
    except Hang:
        pytest.fail(f"loading hung on {data[:200]!r}…")
    except Exception as exc:  # anything else is exactly what this test hunts for
        pytest.fail(f"{type(exc).__name__}: {exc} escaped the loader for {data[:300]!r}")
    return None


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An illustration folder with the names the mutated bundled routines use, plus a few short ones."""
    folder = tmp_path_factory.mktemp("illustrations")
    for source in resources.illustrations_dir().glob("*.svg"):
        (folder / source.name).write_text("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 3'/>")
    for name in ("a.svg", "b.svg"):
        (folder / name).write_text("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 3'/>")
    return folder


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where each generated file is written before it is loaded."""
    return tmp_path_factory.mktemp("fuzz")


def routine_loader(images: Path) -> Callable[[Path], object]:
    """load_routine with the test illustration folder."""
    return lambda path: loader.load_routine(path, images=[images])


# -- generated files (hypothesis) -------------------------------------------------------------------------

TOKENS = [
    "title: ", "kind: ", "area: ", "steps:", "cautions: ", "get_ready: ", "summary: ", "name: ",
    "instructions: ", "duration: ", "hold: ", "reps: ", "rest: ", "sides: ", "image: ", "images: ",
    "frame_seconds: ", "say: ", "- ", "\n", "\n  ", "\n    ", "\n  - ", "[", "]", "{", "}", ", ", ": ",
    "&a ", "*a", "&b ", "*b", "*nope", "<<: ", "? ", "|\n  ", ">-\n  ", "'", '"', "# c", "---\n", "...\n",
    "%YAML 1.1\n", "%TAG ! tag:x,2002:\n", "!!str ", "!!int ", "!!float ", "!!binary ", "!!null ", "!!map ",
    "!!bool ", "!!timestamp ",
    "!!seq ", "!!set ", "!!omap ", "!!python/object:os.system ", "!!python/name:os.system ", "!local ",
    "!<tag:yaml.org,2002:str> ", "\t", "\r\n", "\x00", "\ufeff", "\u2028", "\x85", "~", "null", "yes", "no",
    "on", "true", "0", "-1", "-0", "3.5", "1e400", ".inf", "-.inf", ".nan", "0x1F", "0o17", "0b101",
    "1_000", "99999999999999999999999999999999", "1:30", "99:99", "1m30s", "45 s", "2 hours", "2026-01-01",
    "12:00:00", "release", "lower-back", "both", "a.svg", "../a.svg", "/etc/passwd", "C:\\a.svg", "x" * 300,
]  # fmt: skip


def yamlish_text() -> st.SearchStrategy[str]:
    """Text stitched together from YAML syntax, routine keys and awkward values."""
    piece = st.sampled_from(TOKENS) | st.text(max_size=12)
    return st.lists(piece, max_size=80).map("".join)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**30, max_value=10**300)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["x" * 4001, "y" * 20000, "1m30s", "1:30", "45s", "-5", "0", "both", "release", "a.svg"])
)
ROUTINE_KEYS = sorted(loader.ROUTINE_KEYS | loader.STEP_KEYS)


def documents() -> st.SearchStrategy[object]:
    """Arbitrary nested YAML data whose keys are mostly the routine's own, so validators get deep."""
    keys = st.sampled_from(ROUTINE_KEYS) | st.text(max_size=10)
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=6) | st.dictionaries(keys, inner, max_size=8),
        max_leaves=40,
    )


@st.composite
def almost_valid_routines(draw: st.DrawFn) -> str:
    """A valid routine with some fields replaced by arbitrary values, dumped in block or flow style."""
    step: dict[str, object] = {
        "name": "Knee to chest", "hold": 20, "reps": 3, "rest": 10, "sides": "both", "image": "a.svg",
        "instructions": "Bring one knee up.", "say": "Pull gently",
    }  # fmt: skip
    routine: dict[str, object] = {
        "title": "T", "kind": "release", "area": "lower-back", "get_ready": 5, "cautions": ["Move slowly."],
        "steps": [step, {"name": "Rest", "duration": 30}],
    }  # fmt: skip
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from([routine, step]))
        target[draw(st.sampled_from(ROUTINE_KEYS))] = draw(documents())
    flow = draw(st.sampled_from([False, True, None]))
    return yaml.safe_dump(routine, default_flow_style=flow, allow_unicode=draw(st.booleans()), sort_keys=False)


@FUZZ_SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_bytes(data: bytes, workdir: Path, images: Path) -> None:
    """Arbitrary bytes: a routine or a positioned RoutineFileError, nothing else."""
    check_file(workdir / "bytes.yaml", data, routine_loader(images))


@FUZZ_SETTINGS
@given(text=yamlish_text())
def test_yaml_syntax_soup(text: str, workdir: Path, images: Path) -> None:
    """Random mixes of YAML syntax, tags, anchors and odd values."""
    check_file(workdir / "soup.yaml", text.encode("utf-8", "surrogatepass"), routine_loader(images))


@STRUCTURED_SETTINGS
@given(document=documents())
def test_wrong_types_anywhere(document: object, workdir: Path, images: Path) -> None:
    """Well-formed YAML of any shape: lists for texts, mappings for numbers, huge and non-finite numbers."""
    text = yaml.safe_dump(document, allow_unicode=True)
    check_file(workdir / "doc.yaml", text.encode(), routine_loader(images))


@STRUCTURED_SETTINGS
@given(text=almost_valid_routines())
def test_almost_valid_routines(text: str, workdir: Path, images: Path) -> None:
    """Valid routines with fields swapped for wrong values get every mistake reported."""
    check_file(workdir / "almost.yaml", text.encode(), routine_loader(images))


@FUZZ_SETTINGS
@given(text=yamlish_text())
def test_preset_loader_takes_the_same_soup(text: str, workdir: Path) -> None:
    """The timer-preset loader shares the YAML reader, so it must hold up to the same input."""
    check_file(workdir / "x.timers.yaml", text.encode("utf-8", "surrogatepass"), load_presets)


# -- mutated bundled routines (deterministic) -------------------------------------------------------------

INSERTIONS = [
    b"&a ", b"*a ", b"*missing ", b"&a [*a]", b"<<: *a\n", b"!!python/object/apply:os.system ['true'] ",
    b"!!set ", b"!!binary ", b"!!int ", b"!!float ", b"!!bool ", b"!!timestamp ",
    b"[[[[[[", b"{{{{", b"]]", b"}", b"? ", b"- ", b"\t",
    b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"'", b'"',
    b"%YAML 1.1\n", b"---\n", b"...\n", b"\r", b"\xe2\x80\xa8", b"9" * 40, b"9" * 5000, b"1e999 ", b"-1 ",
    b".nan ", b"-.inf ", b"0x7fffffffffffffffff ", b"x" * 5000, b"# comment\n", b"\n\n\n", b"|\n", b">\n",
]  # fmt: skip
WRONG_VALUES = [
    b"[]", b"{}", b"~", b"yes", b"3.5", b"-7", b"0", b"1:30:99", b"[1, [2, [3]]]", b"{a: {b: {c: 1}}}",
    b"99999999999999999999999999999999999", b"1e400", b".nan", b'"' + b"z" * 5000 + b'"', b"'unterminated",
    b"&a x", b"*a", b"!!binary aGVsbG8=", b"2026-01-01", b"12:30:00", b"!!str 5", b"!!int 5", b"|\n  block",
]  # fmt: skip


def mutations(source: bytes, rng: random.Random) -> Iterator[bytes]:
    """About 230 damaged versions of ``source``: flips, cuts, insertions, wrong values, lost lines."""
    size = len(source)
    for _ in range(60):
        data = bytearray(source)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(size)] = rng.randrange(256)
        yield bytes(data)
    for cut in range(0, size, max(1, size // 40)):
        yield source[:cut]
    for _ in range(80):
        at = rng.randrange(size + 1)
        yield source[:at] + rng.choice(INSERTIONS) + source[at:]
    values = [m.end() for m in re.finditer(rb": ", source)]
    for _ in range(40):
        start = rng.choice(values)
        end = source.find(b"\n", start)
        yield source[:start] + rng.choice(WRONG_VALUES) + source[end if end >= 0 else size :]
    lines = source.split(b"\n")
    for _ in range(30):
        index = rng.randrange(len(lines))
        changed = list(lines)
        if rng.random() < 0.5:
            del changed[index]
        else:
            changed.insert(index, changed[index])  # a repeated key or step
        yield b"\n".join(changed)
    yield source.replace(b"\n", b"\r\n")
    yield source.replace(b"  ", b"\t")
    yield source.decode().encode("utf-16")
    yield b"\xef\xbb\xbf" + source
    yield source * 3  # three documents' worth of keys in one mapping


def test_mutated_bundled_routines(workdir: Path, images: Path) -> None:
    """Thousands of damaged copies of the bundled routines; each loads or is reported with its position."""
    rng = random.Random(20261121)
    load = routine_loader(images)
    checked = reported = 0
    for source in BUNDLED:
        for data in mutations(source.read_bytes(), rng):
            checked += 1
            reported += check_file(workdir / source.name, data, load) is not None
    assert checked >= 1500
    assert reported >= checked // 2  # most damage must actually be noticed, not silently accepted


def test_mutated_preset_file(workdir: Path) -> None:
    """The same treatment for the bundled timer presets."""
    rng = random.Random(7)
    checked = 0
    for data in mutations(PRESET_FILE.read_bytes(), rng):
        checked += 1
        check_file(workdir / "timers.yaml", data, load_presets)
    assert checked >= 200


# -- bombs, depth and size --------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9, where: str = "lol") -> bytes:
    """The classic alias bomb: ``width ** levels`` values once expanded (387 million by default)."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"{where}: *a{levels}")
    return ("\n".join(lines) + "\n").encode()


BOMBS = {
    "top-level": billion_laughs(),
    "as steps": b"title: T\nkind: rest\n" + billion_laughs(where="steps"),
    "as cautions": b"title: T\nkind: rest\nsteps: [{name: A, duration: 5}]\n" + billion_laughs(where="cautions"),
    "as title": billion_laughs(where="title") + b"kind: rest\nsteps: [{name: A, duration: 5}]\n",
    "as one step": b"title: T\nkind: rest\n" + billion_laughs(where="x") + b"steps:\n  - *a9\n",
    "recursive": b"title: T\nkind: rest\nsteps: &s [*s]\ncautions: &c [*c, *c]\n",
    "merge keys": b"title: T\nkind: rest\nbase: &b {name: A, duration: 5}\nsteps: [{<<: *b}, {<<: [*b, *b]}]\n",
}


@pytest.mark.parametrize("data", BOMBS.values(), ids=BOMBS.keys())
def test_alias_bombs_are_refused_without_expanding(data: bytes, workdir: Path, images: Path) -> None:
    """Anchors and aliases are never expanded into memory: a billion laughs costs almost nothing."""
    tracemalloc.start()
    try:
        error = check_file(workdir / "bomb.yaml", data, routine_loader(images), seconds=5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error is not None
    assert peak < BOMB_PEAK_BYTES, f"peak {peak / 2**20:.1f} MiB"


def dense_file(size: int) -> bytes:
    """As many tiny values as fit in ``size`` bytes: the most nodes (and memory) a file can cost."""
    return b"title: T\nkind: rest\ncautions: [" + b"a," * ((size - 40) // 2) + b"]\n"


PEAK_PROBE = r"""
import sys, tracemalloc
from pathlib import Path
from spasmcoach.core import loader
from spasmcoach.core.yamlsource import RoutineFileError
path = Path(sys.argv[1])
tracemalloc.start()
try:
    loader.load_routine(path, images=[path.parent])
except RoutineFileError as exc:
    print("reported:", str(exc.problems[0])[:200])
print("peak:", tracemalloc.get_traced_memory()[1])
"""


def test_memory_for_one_file_is_bounded_by_the_size_cap(workdir: Path) -> None:
    """No input multiplies memory beyond a fixed bound: the densest file the cap allows (every value a
    separate node) peaks under PEAK_BYTES of Python objects, measured in a fresh interpreter."""
    data = dense_file(MAX_FILE_BYTES)
    assert len(data) <= MAX_FILE_BYTES
    path = workdir / "dense.yaml"
    path.write_bytes(data)
    result = subprocess.run([sys.executable, "-c", PEAK_PROBE, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"reported: .*dense\.yaml:\d+:\d+: .*more than", result.stdout), result.stdout
    peak = int(re.search(r"peak: (\d+)", result.stdout).group(1))  # type: ignore[union-attr]
    assert 0 < peak < PEAK_BYTES, f"{peak / 2**20:.0f} MiB for a {len(data)} byte file"


STEPS = b"title: T\nkind: rest\nsteps:\n"
NASTY = {
    "oversized": b"title: T\n#" + b"x" * MAX_FILE_BYTES,
    "brackets": b"title: " + b"[" * 100_000,
    "braces": b"title: " + b"{a: " * 20_000,
    "indents": b"".join(b" " * i + b"k%d:\n" % i for i in range(0, 400, 2)),
    "one long line": b"title: " + b"x" * (MAX_FILE_BYTES - 20) + b"\nkind: rest\n",
    "many keys": b"".join(b"k%06d: 1\n" % i for i in range(50_000)),
    "many steps": STEPS + b"".join(b"- {name: s%d, duration: 1}\n" % i for i in range(5000)),
    "many reps": b"title: T\nkind: rest\nsteps: [{name: A, hold: 7200, reps: 50, rest: 7200, sides: both}]\n",
    "huge int": b"title: T\nkind: rest\nsteps: [{name: A, hold: " + b"9" * 50_000 + b"}]\n",
    "huge float": b"title: T\nkind: rest\nsteps: [{name: A, hold: 1" + b"0" * 400 + b".5}]\n",
    "long duration text": b"title: T\nkind: rest\nsteps: [{name: A, duration: '" + b"1s " * 100_000 + b"'}]\n",
    "long unknown key": b"x" * 500_000 + b"y: 1\n",
    "long kind": b"title: T\nkind: " + b"relase" * 100_000 + b"\nsteps: []\n",
    "nul bytes": b"title: T\x00\nkind: rest\n",
    "utf-16": "title: T\nkind: rest\n".encode("utf-16"),
    "lone surrogate escape": b'title: "\\ud800"\nkind: rest\n',
    "nul escape in image": b'title: T\nkind: rest\nsteps: [{name: A, duration: 5, image: "a\\0.svg"}]\n',
    "many documents": b"---\n" * 10_000,
    "many errors": STEPS + b"".join(b"- {name: s%d, hold: -1, x: 1}\n" % i for i in range(250)),
}  # fmt: skip


@pytest.mark.parametrize("data", NASTY.values(), ids=NASTY.keys())
def test_nasty_files_are_reported_quickly(data: bytes, workdir: Path, images: Path) -> None:
    """Size, width and depth extremes within the file cap are each reported, quickly."""
    error = check_file(workdir / "nasty.yaml", data, routine_loader(images), seconds=10)
    assert error is not None


def test_every_reported_problem_in_a_broken_library_names_its_file(tmp_path: Path, images: Path) -> None:
    """load_library gathers each broken file's problems under that file's own name and keeps the good ones."""
    folder = tmp_path / "routines"
    folder.mkdir()
    good = BUNDLED[0].read_bytes()
    (folder / "good.yaml").write_bytes(good)
    rng = random.Random(3)
    broken = list(mutations(good, rng))[:200]
    for index, data in enumerate(broken):
        (folder / f"m{index:03}.yaml").write_bytes(data)
    library = loader.load_library([(folder, loader.Origin.USER)])
    assert "good" in library.routines
    assert len(library.routines) + len(library.errors) == len(broken) + 1
    for error in library.errors:
        assert Path(error.file).name.startswith("m") and all(
            str(p).startswith(error.file + ":") for p in error.problems
        )


def test_validate_command_reports_a_folder_of_bad_files_without_a_traceback(tmp_path: Path) -> None:
    """``spasmcoach validate`` on a folder of hostile files: exit 1, one positioned line per problem."""
    folder = tmp_path / "bad"
    folder.mkdir()
    samples = {**NASTY, **BOMBS}
    for index, data in enumerate(samples.values()):
        (folder / f"f{index:02}.yaml").write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "spasmcoach", "validate", str(folder)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("0 of ") and lines[-1].endswith(f"{len(samples)} with errors")
    problem_lines = [line for line in lines[:-1] if re.match(r"bad/f\d\d\.yaml:\d+:\d+: ", line)]
    assert len({line.split(":")[0] for line in problem_lines}) == len(samples)


# -- inputs that once escaped the loader or crashed the interpreter ------------------------------------------


@pytest.mark.parametrize("value", ["!!bool maybe", "!!timestamp soon", "!!timestamp 2026-13-45x"])
def test_explicit_tags_on_values_that_do_not_fit_are_reported(value: str, workdir: Path, images: Path) -> None:
    """``kind: !!bool maybe`` is a mistake in the file, reported like any other (here: not a known kind)."""
    data = f"title: T\nkind: {value}\nsteps: [{{name: A, duration: 5}}]\n".encode()
    error = check_file(workdir / "tag.yaml", data, routine_loader(images))
    assert error is not None and "kind: must be one of" in str(error)


def test_an_image_name_too_long_for_the_file_system_is_reported(workdir: Path, images: Path) -> None:
    """A 300-character image name is 'not found', not an OSError that stops the whole library."""
    name = "a" * 300 + ".svg"
    data = f"title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    image: {name}\n".encode()
    error = check_file(workdir / "long.yaml", data, routine_loader(images))
    assert error is not None and "steps[0].image" in str(error)


def test_a_step_with_thousands_of_frames_is_refused_without_thousands_of_lookups(
    workdir: Path, images: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader must not stat the disk tens of thousands of times for one file."""
    lookups = 0
    real = loader.find_image

    def counting(name: str, dirs: list[Path]) -> Path | None:
        """Count each lookup and do it."""
        nonlocal lookups
        lookups += 1
        return real(name, dirs)

    monkeypatch.setattr(loader, "find_image", counting)
    frames = ", ".join(f"f{i}.svg" for i in range(5000))
    data = f"title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    images: [{frames}]\n".encode()
    check_file(workdir / "frames.yaml", data, routine_loader(images))
    assert lookups <= 1000


DEEP_BLOCKS = r"""
import sys
from pathlib import Path
from spasmcoach.core import loader
from spasmcoach.core.yamlsource import RoutineFileError
path = Path(sys.argv[1])
path.write_text("- " * 100_000 + "x\n")
try:
    loader.load_routine(path, images=[path.parent])
except RoutineFileError as exc:
    print("reported:", exc.problems[0])
"""


def test_deep_block_nesting_on_one_line_is_reported_not_a_crash(workdir: Path) -> None:
    """100,000 nested ``- `` on one line (200 KB) is refused like deep brackets, not a segfault."""
    result = subprocess.run(
        [sys.executable, "-c", DEEP_BLOCKS, str(workdir / "deep.yaml")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"the interpreter died with {result.returncode}: {result.stderr[-500:]}"
    assert re.search(r"reported: .*deep\.yaml:\d+:\d+: ", result.stdout)
