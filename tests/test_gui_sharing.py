"""In the window: File ▸ Import/Export/handout, drops onto the library, files handed over by a later launch,
the "Where I am now" filter, the prescription in the details, and PNG/JPEG step pictures drawn off-thread."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_helpers import make_context, write_routine
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spasmcoach.commands.main import build_parser
from spasmcoach.core import desktop_entry, instance, sharing
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.model import Position
from spasmcoach.gui import app as gui_app
from spasmcoach.gui.illustration import IllustrationView, load_frame
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.sharing_actions import Choice, SharingActions, free_id, retitled

PLAN = """title: Knee plan
kind: release
position: floor
prescribed_by: Jo Physio
prescribed_on: 2026-11-02
review_on: {review}
note: Twice a day, gently.
steps:
  - name: Knee hug
    hold: 10
    image: knee.png
  - name: Sit tall
    position: chair
    duration: 20
    image: chair.jpg
"""


def png(colour: str = "#3366CC") -> bytes:
    return image_bytes(colour, QSize(40, 30), "PNG")


def image_bytes(colour: str, size: QSize, kind: str) -> bytes:
    """A real picture of one colour, written by Qt (the format follows the file name's ending)."""
    import tempfile

    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"picture.{kind.lower()}"
        assert image.save(str(path))
        return path.read_bytes()


@pytest.fixture
def plan(spasmcoach_home: Path, qapp: QApplication) -> Path:
    """A prescribed user routine whose review date has passed, with a PNG and a JPEG of the user's own."""
    pictures = spasmcoach_home / "illustrations"
    pictures.mkdir(parents=True)
    (pictures / "knee.png").write_bytes(png())
    (pictures / "chair.jpg").write_bytes(image_bytes("#CC6633", QSize(64, 48), "JPEG"))
    review = (date.today() - timedelta(days=1)).isoformat()
    return write_routine(spasmcoach_home, "knee-plan", PLAN.format(review=review))


def open_window(qtbot: QtBot, home: Path) -> MainWindow:
    win = MainWindow(make_context(home, FakeClock()))
    qtbot.addWidget(win)
    win.show()
    win.show_library()
    return win


def actions_of(win: MainWindow) -> SharingActions:
    found = win.findChild(SharingActions)
    assert isinstance(found, SharingActions)
    return found


def listed(win: MainWindow) -> list[str]:
    return [win.library.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(win.library.list.count())]


def test_the_file_menu_has_the_sharing_items_with_keys(qtbot: QtBot, spasmcoach_home: Path) -> None:
    win = open_window(qtbot, spasmcoach_home)
    texts = [a.text() for a in win.file_menu.actions()]
    for text in ("&Import routine…", "&Export routine…", "&Print handout…", "Save handout as &PDF…"):
        assert text in texts
    actions = actions_of(win)
    assert actions.import_action.shortcut().toString() == "Ctrl+O"
    assert actions.export_action.shortcut().toString() == "Ctrl+E"
    assert actions.print_action.shortcut().toString() == "Ctrl+P"


def test_export_then_import_in_a_fresh_home_keeps_the_routine_and_pictures(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    win.library.select("knee-plan")
    target = tmp_path / "out" / "knee"
    target.parent.mkdir()
    monkeypatch.setattr(SharingActions, "ask_save_path", staticmethod(lambda *_a: target))
    with qtbot.waitSignal(actions_of(win).exported, timeout=10_000) as blocker:
        actions_of(win).export_action.trigger()
    written = blocker.args[0]
    assert written == target.with_name("knee.spasmcoach") and written.is_file()
    assert sorted(sharing.read_package(written).pictures) == ["chair.jpg", "knee.png"]

    fresh = tmp_path / "fresh"
    monkeypatch.setenv("SPASMCOACH_HOME", str(fresh))
    other = open_window(qtbot, fresh)
    monkeypatch.setattr(SharingActions, "ask_open_path", staticmethod(lambda _parent: written))
    with qtbot.waitSignal(actions_of(other).imported, timeout=10_000) as blocker:
        actions_of(other).import_action.trigger()
    assert blocker.args == ["knee-plan"] and other.library.current_id() == "knee-plan"
    original = (spasmcoach_home / "illustrations" / "knee.png").read_bytes()
    assert (fresh / "illustrations" / "knee.png").read_bytes() == original
    assert "Imported “Knee plan”" in other.notice.text()


def test_importing_a_routine_you_have_asks_replace_keep_both_or_cancel(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    package = sharing.export_routine(win.library.library.routines["knee-plan"], tmp_path / "knee-plan.spasmcoach")
    asked: list[tuple[str, bool]] = []
    answers = [Choice.CANCEL, Choice.KEEP_BOTH, Choice.REPLACE]

    def ask(_parent: object, text: str, *, keep_both: bool) -> Choice:
        asked.append((text, keep_both))
        return answers.pop(0)

    monkeypatch.setattr(SharingActions, "ask_choice", staticmethod(ask))
    actions = actions_of(win)
    with qtbot.waitSignal(actions.failed, timeout=10_000) as blocker:
        actions.import_file(package)
    assert blocker.args == ["Nothing was imported."] and "You already have a routine called “Knee plan”" in asked[0][0]
    assert sorted(p.name for p in (spasmcoach_home / "routines").glob("*.yaml")) == ["knee-plan.yaml"]

    with qtbot.waitSignal(actions.imported, timeout=10_000) as blocker:
        actions.import_file(package)
    assert blocker.args == ["knee-plan-2"]
    assert win.library.library.routines["knee-plan-2"].title == "Knee plan (2)"
    assert win.library.library.routines["knee-plan"].title == "Knee plan"

    plan.write_text(plan.read_text().replace("title: Knee plan", "title: Changed since"))
    win.reload_library()
    with qtbot.waitSignal(actions.imported, timeout=10_000):
        actions.import_file(package)
    assert win.library.library.routines["knee-plan"].title == "Knee plan", "replaced by the package's copy"
    assert len(asked) == 3 and all(keep for _text, keep in asked)


def test_a_file_with_mistakes_is_refused_calmly_with_its_lines(
    qtbot: QtBot, spasmcoach_home: Path, tmp_path: Path
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    broken = tmp_path / "broken-plan.yaml"
    broken.write_text("title: Broken\nkind: release\nposition: sofa\nsteps: [{name: A, hold: 5}]\n")
    with qtbot.waitSignal(actions_of(win).failed, timeout=10_000) as blocker:
        actions_of(win).import_file(broken)
    message = blocker.args[0]
    assert message.startswith("broken-plan.yaml has mistakes, so nothing was imported:")
    assert "broken-plan.yaml:3:11: position: must be one of floor, bed, chair, standing" in message
    assert "Traceback" not in message and not (spasmcoach_home / "routines" / "broken-plan.yaml").exists()

    bomb = tmp_path / "evil.spasmcoach"
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("../escape.yaml", "x")
    with qtbot.waitSignal(actions_of(win).failed, timeout=10_000) as blocker:
        actions_of(win).import_file(bomb)
    assert "leaves the package; refused" in blocker.args[0]


def drag_events(path: Path) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    drop = QDropEvent(QPointF(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    return enter, drop, mime


def test_dropping_a_package_on_the_library_imports_it(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    package = sharing.export_routine(win.library.library.routines["knee-plan"], tmp_path / "shared.spasmcoach")
    monkeypatch.setenv("SPASMCOACH_HOME", str(tmp_path / "other"))
    other = open_window(qtbot, tmp_path / "other")
    viewport = other.library.list.viewport()
    assert viewport.acceptDrops()
    enter, drop, _mime = drag_events(package)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(actions_of(other).imported, timeout=10_000):
        QApplication.sendEvent(viewport, drop)
    assert "knee-plan" in listed(other)

    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    refused, _drop, _mime2 = drag_events(text_file)
    refused.ignore()
    QApplication.sendEvent(viewport, refused)
    assert not refused.isAccepted(), "only routine files are taken"


def test_where_i_am_now_filters_and_the_details_show_the_prescription(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    library = win.library
    combo = library.where_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Anywhere", "In bed", "On the floor", "In a chair", "Standing",
    ]  # fmt: skip
    combo.setCurrentIndex(combo.findData(Position.FLOOR.value))
    floor = listed(win)
    assert "lower-back-release" in floor and "acute-rest-positions" in floor
    assert "knee-plan" not in floor and "desk-break" not in floor, "a routine that also needs a chair is not shown"
    combo.setCurrentIndex(combo.findData(Position.STANDING.value))
    assert "warm-up" in listed(win) and "lower-back-release" not in listed(win)
    combo.setCurrentIndex(0)
    assert "knee-plan" in listed(win)

    library.select("knee-plan")
    row = library.list.currentItem().text()
    assert "Review with your physio" in row
    text = library.prescription.text()
    assert "Prescribed by Jo Physio on 2 November 2026" in text and "Review with your physio" in text
    assert "Note: Twice a day, gently." in text and library.prescription.isVisible()
    assert "on the floor, then in a chair" in library.meta.text()
    library.select("warm-up")
    assert not library.prescription.isVisible()


def test_png_and_jpeg_pictures_are_drawn_off_the_gui_thread(qtbot: QtBot, plan: Path, spasmcoach_home: Path) -> None:
    folder = spasmcoach_home / "illustrations"
    image = load_frame(folder / "knee.png", QSize(200, 150), 1.0)
    assert image is not None and QColor(image.pixel(5, 5)) == QColor("#3366CC")
    assert load_frame(folder / "chair.jpg", QSize(200, 150), 1.0) is not None
    (folder / "fake.png").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert load_frame(folder / "fake.png", QSize(200, 150), 1.0) is None

    view = IllustrationView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    with qtbot.waitSignal(view.rendered, timeout=10_000):
        view.set_images([folder / "knee.png", folder / "chair.jpg"])
    assert view.ready and not view.missing


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_a_later_launch_hands_a_file_to_the_running_window(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = build_parser().parse_args(["open", str(tmp_path / "x.spasmcoach")])
    assert args.window and args.handler is None
    request = gui_app.launch_request(args)
    assert request == {"cmd": "import", "file": str(tmp_path / "x.spasmcoach")}
    assert instance.valid_request({**request, "expires": 0}) is not None
    assert instance.valid_request({"cmd": "import", "file": "relative.spasmcoach"}) is None
    assert gui_app.launch_request(build_parser().parse_args(["open"])) == {"cmd": "show"}

    win = open_window(qtbot, spasmcoach_home)
    package = sharing.export_routine(win.library.library.routines["knee-plan"], tmp_path / "handed.spasmcoach")
    (spasmcoach_home / "routines" / "knee-plan.yaml").unlink()
    win.reload_library()
    win.timer_wiring = None  # no timers in this window
    with qtbot.waitSignal(actions_of(win).imported, timeout=10_000):
        reply = gui_app.answer_request(win, {"cmd": "import", "file": str(package)})
    assert reply == {} and "knee-plan" in listed(win)


def test_the_desktop_entry_keeps_its_file_argument_when_installed() -> None:
    template = "[Desktop Entry]\nType=Application\nName=S\nExec=spasmcoach open %f\n"
    written = desktop_entry.with_command(template, ["/opt/spasm coach/bin/spasmcoach"])
    assert 'Exec="/opt/spasm coach/bin/spasmcoach" open %f' in written
    assert desktop_entry.template_arguments("[Desktop Entry]\nExec=spasmcoach\n") == ""


def test_helpers_for_keep_both() -> None:
    assert free_id("plan", {"plan", "plan-2"}) == "plan-3"
    assert retitled(b"# c\ntitle: Knee plan\nkind: x\n", "(2)") == b"# c\ntitle: Knee plan (2)\nkind: x\n"
    assert retitled(b"title: 'Quoted'\n", "(2)") == b"title: 'Quoted'\n"
    assert retitled(b"title: A # note\n", "(2)") == b"title: A # note\n", "a title with a comment is left alone"


def test_the_handout_is_saved_as_pdf_or_opened_to_print(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    win.library.select("knee-plan")
    actions = actions_of(win)
    monkeypatch.setattr(SharingActions, "ask_save_path", staticmethod(lambda *_a: tmp_path / "sheet"))
    with qtbot.waitSignal(actions.exported, timeout=20_000) as blocker:
        actions.handout_action.trigger()
    assert blocker.args[0] == tmp_path / "sheet.pdf" and (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF-")

    opened: list[Path] = []
    def open_document(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr(SharingActions, "open_document", staticmethod(open_document))
    with qtbot.waitSignal(actions.exported, timeout=20_000):
        actions.print_action.trigger()
    assert len(opened) == 1 and opened[0].suffix == ".pdf" and opened[0].is_file()
    assert "print it from there" in win.notice.text()


def test_export_without_a_selection_says_so(qtbot: QtBot, spasmcoach_home: Path) -> None:
    win = open_window(qtbot, spasmcoach_home)
    win.library.search.setText("nothing matches this")
    with qtbot.waitSignal(actions_of(win).failed) as blocker:
        actions_of(win).export_action.trigger()
    assert blocker.args == ["Choose a routine in the list first."]


def test_nothing_comes_up_over_a_running_routine(
    qtbot: QtBot, plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(qtbot, spasmcoach_home)
    win.ctx.settings.setValue("sound/instructions", "never")
    win.start_routine("knee-plan", prompt=False)
    assert win.session is not None and win.session.runner.state.active
    asked: list[object] = []
    monkeypatch.setattr(SharingActions, "ask_open_path", staticmethod(lambda parent: asked.append(parent)))
    monkeypatch.setattr(SharingActions, "ask_save_path", staticmethod(lambda *a: asked.append(a)))
    for action in (actions_of(win).import_action, actions_of(win).export_action, actions_of(win).print_action):
        with qtbot.waitSignal(actions_of(win).failed) as blocker:
            action.trigger()
        assert blocker.args[0].startswith("A routine is running.")
    with qtbot.waitSignal(actions_of(win).failed):
        actions_of(win).import_file(tmp_path / "later.spasmcoach")
    assert asked == [] and win.session.runner.state.active
    win.pain_stop()


def test_spasmcoach_import_hands_the_file_to_an_open_window(
    plan: Path, spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from spasmcoach.commands.main import main as cli

    package = tmp_path / "from-jo.spasmcoach"
    assert cli(["export", "knee-plan", "-o", str(package)], out=io.StringIO()) == 0
    (spasmcoach_home / "routines" / "knee-plan.yaml").unlink()
    sent: list[dict[str, object]] = []

    def send(request: dict[str, object]) -> dict[str, object]:
        sent.append(request)
        return {"ok": True}

    monkeypatch.setattr(instance, "send", send)
    out = io.StringIO()
    assert cli(["import", str(package)], out=out) == 0
    assert sent == [{"cmd": "import", "file": str(package)}] and "open SpasmCoach window" in out.getvalue()
    assert not (spasmcoach_home / "routines" / "knee-plan.yaml").exists(), "the window installs it, after asking"

    monkeypatch.setattr(instance, "send", lambda request: None)  # no window: installed here, as before
    assert cli(["import", str(package)], out=io.StringIO()) == 0
    assert (spasmcoach_home / "routines" / "knee-plan.yaml").is_file()
