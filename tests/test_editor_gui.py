"""The routine editor driven through its real widgets: a routine made by keyboard alone, reordered, saved,
reopened and played; unsaved work asked about and kept as a draft; delete with undo; pictures; live checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import make_context, write_routine
from layout_checks import problems
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.core import loader, paths
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.editing import files
from spasmcoach.gui import theme
from spasmcoach.gui.editor.page import EditorPage, Unsaved
from spasmcoach.gui.editor.picture_picker import PicturePicker, wait_thumbnails
from spasmcoach.gui.geometry_dump import snapshot
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.navigation import Page


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path, qapp: QApplication) -> Iterator[MainWindow]:
    qapp.setStyleSheet(theme.STYLE_SHEET)
    ctx = make_context(spasmcoach_home, FakeClock())
    ctx.settings.setValue("safety/seen", True)
    win = MainWindow(ctx)

    def before_close(_window: QWidget) -> None:  # the test is over: whatever is unsaved is thrown away
        page = win.stack.built(Page.EDITOR)
        if isinstance(page, EditorPage):
            page.ask_unsaved = lambda parent: Unsaved.DISCARD  # type: ignore[method-assign]

    qtbot.addWidget(win, before_close_func=before_close)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    page = win.stack.built(Page.EDITOR)
    if isinstance(page, EditorPage):
        page.keeper.wait()
        page.check.close()
    win.end_running_session()
    win.close()
    assert ctx.journal is not None
    ctx.journal.close()
    qapp.setStyleSheet("")


def editor(window: MainWindow) -> EditorPage:
    page = window.stack.built(Page.EDITOR)
    assert isinstance(page, EditorPage)
    return page


def on_screen(window: MainWindow) -> Page | None:
    spec = window.stack.current_spec()
    return spec.key if spec is not None else None


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(widget: QWidget | None, code: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget or focus(), code, modifier)


def tab_to(target: QWidget, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the keyboard focus: the way a keyboard user gets there."""
    for _ in range(limit):
        if focus() is target:
            return
        key(None, Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target}")


def type_here(text: str, *, replace: bool = True) -> None:
    """Type as a keyboard does: each key goes to whatever has the focus when it is pressed."""
    if replace:
        key(None, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    for character in text:
        QTest.keyClicks(focus(), character)


def settle(page: EditorPage) -> None:
    page.check.check_now()  # what the pause after typing would do
    QApplication.processEvents()


def test_a_routine_made_by_keyboard_alone_is_reordered_saved_reopened_and_played(
    qtbot: QtBot, window: MainWindow
) -> None:
    key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File ▸ New routine…
    assert on_screen(window) is Page.EDITOR
    type_here("Physio exercises")  # typed at once: the page finishes building, and the keys reach the title
    page = editor(window)
    assert focus() is page.routine_form.rows["title"].control
    assert page.routine_form.values()["title"] == "Physio exercises"
    tab_to(page.routine_form.rows["summary"].control)
    type_here("From my physio, twice a day.")

    tab_to(page.step_form.form.rows["name"].control)
    type_here("Pelvic tilt")
    tab_to(page.step_form.form.rows["duration"].control)
    type_here("1m30s")

    tab_to(page.steps.add_button, backwards=True)
    key(None, Qt.Key.Key_Space)  # a second step, after the first, its name field ready to type in
    assert focus() is page.step_form.form.rows["name"].control
    type_here("Knee hug")
    tab_to(page.step_form.block, backwards=True)  # a radio group is one Tab stop: the checked button
    key(None, Qt.Key.Key_Right)  # radio buttons move with the arrows: holds with repetitions
    assert page.step_form.holds.isChecked()
    tab_to(page.step_form.form.rows["hold"].control)
    type_here("0:20")
    tab_to(page.step_form.form.rows["reps"].control)
    type_here("3")
    settle(page)
    checked = page.check.last
    assert checked is not None and checked.ok, checked and checked.errors
    assert "Total time: 2 min 40 s" in page.total.text()  # 5 + 90 + 5 + 3 × 20

    tab_to(page.steps.list, backwards=True)
    assert page.steps.current() == 1
    key(None, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # the knee hug first
    assert [s.get("name") for s in page.draft.steps] == ["Knee hug", "Pelvic tilt"]
    assert page.steps.list.currentItem().text().endswith("Knee hug")

    key(None, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = paths.user_routines_dir() / "physio-exercises.yaml"
    assert saved.read_text().startswith("# yaml-language-server: $schema=routine.schema.json\n")
    routine = loader.load_library().get("physio-exercises")
    assert routine is not None
    assert [s.name for s in routine.steps] == ["Knee hug", "Pelvic tilt"]
    assert routine.steps[0].reps == 3 and routine.steps[1].duration == 90

    key(None, Qt.Key.Key_Escape)  # nothing unsaved: straight back to the library
    assert on_screen(window) is Page.ROUTINES
    assert window.library.current_id() == "physio-exercises"
    tab_to(window.library.edit_buttons.edit_button)
    key(None, Qt.Key.Key_Return)
    assert on_screen(window) is Page.EDITOR
    assert page.draft.source == str(saved)
    assert not page.warning.isVisibleTo(page)  # the app wrote this file: nothing of it would be lost
    assert [s.get("name") for s in page.draft.steps] == ["Knee hug", "Pelvic tilt"]

    tab_to(page.try_button, backwards=True)
    key(None, Qt.Key.Key_Return)  # Try it: through the window's own start path
    assert on_screen(window) is Page.BEFORE
    window.before.begin.emit(None)
    assert on_screen(window) is Page.PLAYER
    assert window.session is not None and window.session.routine.title == "Physio exercises"
    window.pain_stop()
    window.stop_page.done.emit(None, [], "")
    qtbot.waitUntil(lambda: on_screen(window) is Page.EDITOR)  # back to the routine being edited


def test_an_unsaved_routine_can_be_tried_and_leaving_asks_first(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.editor.new_routine()
    page = editor(window)
    page.routine_form.rows["title"].set_value("Not saved")
    page.routine_form.rows["title"].changed.emit()
    page.try_it()
    assert on_screen(window) is Page.BEFORE
    assert window._pending is not None and window._pending[0].title == "Not saved"
    window.before.cancelled.emit()
    qtbot.waitUntil(lambda: on_screen(window) is Page.EDITOR)

    answers = iter([Unsaved.KEEP, Unsaved.DISCARD])
    asked: list[bool] = []

    def ask(_parent: object) -> Unsaved:
        asked.append(True)
        return next(answers)

    monkeypatch.setattr(EditorPage, "ask_unsaved", staticmethod(ask))
    key(page.routine_form.rows["title"].control, Qt.Key.Key_Escape)
    assert on_screen(window) is Page.EDITOR and asked == [True]  # Keep editing
    key(page.routine_form.rows["title"].control, Qt.Key.Key_Escape)
    assert on_screen(window) is Page.ROUTINES  # Discard
    assert not (paths.user_routines_dir() / "not-saved.yaml").exists()
    assert files.read_drafts() == []


def test_the_loaders_message_shows_beside_the_field(window: MainWindow) -> None:
    window.editor.new_routine()
    page = editor(window)
    page.routine_form.rows["title"].control.setFocus()
    type_here("Checks")
    duration = page.step_form.form.rows["duration"]
    duration.control.setFocus()
    type_here("soonish")
    settle(page)
    assert duration.error.isVisibleTo(page)
    assert "such as 30, 45s, 1m30s or 1:30" in duration.error.text()
    assert "thing to fix" in page.total.text()
    assert not page.save()
    assert "fix what is marked" in page.status.text()
    for typed in ("45s", "1m30s", "1:30"):
        duration.control.setFocus()
        type_here(typed)
        settle(page)
        assert not duration.error.isVisibleTo(page), typed
    assert page.save()


def test_a_crash_mid_edit_keeps_a_draft_offered_on_the_next_start(
    qtbot: QtBot, window: MainWindow, spasmcoach_home: Path
) -> None:
    window.editor.new_routine()
    page = editor(window)
    assert page.keeper.timer.interval() == 1000  # a second after the last change; shorter here, for speed
    page.keeper.timer.setInterval(100)
    page.routine_form.rows["title"].control.setFocus()
    type_here("Half finished")
    qtbot.waitUntil(lambda: bool(files.read_drafts()), timeout=5000)  # written by the timer, off the GUI thread
    page.keeper.wait()
    # the app dies here; the next start offers the work back
    ctx = make_context(spasmcoach_home, FakeClock())
    ctx.settings.setValue("safety/seen", True)
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.library.offer_bar.isVisible())
    assert "Half finished" in second.library.offer_bar.text.text()
    second.library.offer_bar.yes.click()
    assert on_screen(second) is Page.EDITOR
    restored = editor(second)
    assert restored.draft.get("title") == "Half finished"
    assert restored.is_dirty()
    assert restored.save()
    assert files.read_drafts() == []
    restored.check.close()
    second.close()
    assert ctx.journal is not None
    ctx.journal.close()


def test_delete_keeps_the_file_aside_and_undo_brings_it_back(window: MainWindow, spasmcoach_home: Path) -> None:
    from gui_helpers import KNEE_ROUTINE

    path = write_routine(spasmcoach_home, "knee", KNEE_ROUTINE)
    window.reload_library()
    window.library.select("knee")
    assert window.library.edit_buttons.delete_button.isEnabled()
    window.library.edit_buttons.delete_button.click()
    assert not path.exists()
    assert window.library.library.get("knee") is None
    assert window.library.offer_bar.isVisible()
    window.library.offer_bar.yes.click()  # Undo
    assert path.read_text() == KNEE_ROUTINE
    assert window.library.current_id() == "knee"
    window.library.select("desk-break")
    assert not window.library.edit_buttons.delete_button.isEnabled()  # bundled routines are never deleted


def test_a_bundled_routine_is_duplicated_and_a_hand_written_file_is_warned_about(
    window: MainWindow, spasmcoach_home: Path
) -> None:
    window.library.select("desk-break")
    window.library.edit_buttons.duplicate_button.click()
    page = editor(window)
    assert page.draft.get("title") == "Desk break (my copy)"
    assert page.draft.source is None
    assert page.save()
    copy = paths.user_routines_dir() / "desk-break-my-copy.yaml"
    assert copy.exists()
    assert window.library.library.get("desk-break") is not None  # the bundled one is still there
    page.leave()

    from gui_helpers import KNEE_ROUTINE

    path = write_routine(spasmcoach_home, "knee", "# my notes\n" + KNEE_ROUTINE)
    window.reload_library()
    window.library.select("knee")
    window.library.edit_buttons.edit_button.click()
    assert page.warning.isVisibleTo(page)
    assert "knee.yaml~" in page.warning.text()
    page.routine_form.rows["title"].control.setFocus()
    type_here("Knee, changed")
    assert page.save()
    assert path.with_name("knee.yaml~").read_text().startswith("# my notes\n")  # the hand-written version kept
    assert "title: Knee, changed" in path.read_text()


def test_steps_reorder_by_dragging(window: MainWindow) -> None:
    window.library.select("desk-break")
    window.library.edit_buttons.duplicate_button.click()
    page = editor(window)
    names = [s.get("name") for s in page.draft.steps]
    model = page.steps.list.model()
    assert model.moveRow(model.index(0, 0).parent(), 0, model.index(0, 0).parent(), 3)  # what a drop does
    assert [s.get("name") for s in page.draft.steps] == [names[1], names[2], names[0], *names[3:]]


def test_a_picture_is_chosen_from_thumbnails(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    own = loader.image_dirs()[0]
    own.mkdir(parents=True)
    (own / "mine.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30"/></svg>'
    )
    (own / "hostile.svg").write_text('<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>')
    (own / "photo.png").write_bytes(b"not a png at all")  # a PNG by name only: listed, never decoded
    picker = PicturePicker("childs-pose.svg")
    qtbot.addWidget(picker)
    names = [picker.grid.item(i).data(Qt.ItemDataRole.UserRole) for i in range(picker.grid.count())]
    assert names[:3] == ["hostile.svg", "mine.svg", "photo.png"]  # the user's own first
    assert "childs-pose.svg" in names and picker.chosen() == "childs-pose.svg"

    def drawn() -> bool:
        wait_thumbnails(200)
        return not picker.grid.item(1).icon().isNull()

    qtbot.waitUntil(drawn, timeout=10000)
    assert picker.grid.item(0).icon().isNull()  # an unsafe picture is never drawn
    assert picker.grid.item(2).icon().isNull()

    window.editor.new_routine()
    page = editor(window)
    monkeypatch.setattr(PicturePicker, "ask", classmethod(lambda cls, parent, current: "mine.svg"))
    page.step_form.choose_button.click()
    assert page.draft.steps[0].images == ["mine.svg"]
    assert page.step_form.picture_name.text() == "mine.svg"
    page.routine_form.rows["title"].control.setFocus()
    type_here("With a picture")
    assert page.save()
    assert "image: mine.svg" in (paths.user_routines_dir() / "with-a-picture.yaml").read_text()


def test_closing_the_window_asks_about_unsaved_work_and_ctrl_n_never_leaves_a_routine(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.editor.new_routine()
    page = editor(window)
    page.routine_form.rows["title"].control.setFocus()
    type_here("Unsaved")
    monkeypatch.setattr(EditorPage, "ask_unsaved", staticmethod(lambda _parent: Unsaved.KEEP))
    window.close()
    assert window.isVisible() and on_screen(window) is Page.EDITOR  # Keep editing: nothing closed
    monkeypatch.setattr(EditorPage, "ask_unsaved", staticmethod(lambda _parent: Unsaved.DISCARD))
    page.leave()

    window.library.select("desk-break")
    window.library.start_button.click()
    window.before.begin.emit(None)
    assert on_screen(window) is Page.PLAYER
    key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert on_screen(window) is Page.PLAYER  # the running exercise stays on screen


def test_the_editor_opens_over_a_few_turns_and_then_has_the_title_in_focus(qtbot: QtBot, window: MainWindow) -> None:
    """Its first part is shown at once; the form, the steps and the timeline follow (the window never freezes)."""
    key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = editor(window)
    assert not page.is_built() and "routine_form" not in vars(page)
    assert on_screen(window) is Page.EDITOR and page.heading.isVisible()
    qtbot.waitUntil(page.is_built)
    assert focus() is page.routine_form.rows["title"].control
    assert page.draft.get("title") == "" and len(page.draft.steps) == 1
    assert page.save_button.autoDefault() and page.steps.list.count() == 1


def test_a_look_at_the_editor_while_it_builds_sees_it_whole(window: MainWindow) -> None:
    """The geometry snapshot (and so the layout checks) describes the page as it will be, fields and all."""
    window.resize(1024, 600)
    QApplication.processEvents()
    window.library.select("desk-break")
    window.library.edit_buttons.duplicate_button.click()
    page = editor(window)
    assert not page.is_built()
    snap = snapshot(window)
    assert page.is_built()
    names = {w["name"] for w in snap["widgets"]}
    assert {"Title", "Timeline"} <= names, sorted(names)
    assert not problems(snap, screen_checks=False, tables=False)


def test_leaving_while_the_editor_builds_then_opening_another_routine_shows_that_one(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def ask(_parent: QWidget) -> Unsaved:
        asked.append(True)
        return Unsaved.DISCARD

    monkeypatch.setattr(EditorPage, "ask_unsaved", staticmethod(ask))
    window.editor.new_routine()
    page = editor(window)
    assert not page.is_built()
    page.leave()  # leaving builds the rest first: the new routine is there, unsaved, so it asks
    assert asked == [True] and on_screen(window) is Page.ROUTINES
    window.editor.duplicate("desk-break")
    qtbot.waitUntil(page.is_built)
    assert on_screen(window) is Page.EDITOR
    assert page.draft.get("title").endswith("(my copy)")


@pytest.mark.parametrize("size", [(1024, 600), (640, 480), (1920, 1080)], ids=["1024x600", "640x480", "1920x1080"])
def test_the_editor_fits_every_window_size(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.library.select("desk-break")
    for _ in range(4):
        QApplication.processEvents()
    found = problems(snapshot(window), screen_checks=False, tables=False)
    assert not found, "library with the editing buttons:\n" + "\n".join(found)
    window.library.edit_buttons.duplicate_button.click()
    page = editor(window)
    page.steps.list.setCurrentRow(1)
    for _ in range(4):  # layout requests travel up one parent per round
        QApplication.processEvents()
    found = problems(snapshot(window), screen_checks=False, tables=False)
    assert not found, "\n".join(found)
    assert (window.width(), window.height()) == size, "the editor made the window grow"
    assert page.save_button.visibleRegion().boundingRect().size() == page.save_button.size()  # Save always whole
