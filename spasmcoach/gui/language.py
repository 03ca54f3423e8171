"""Settings → Language (System, English, Deutsch) and Qt's own translations for its standard dialogs.

The language is chosen once, before the window is built (``core.language.setup``); a new choice is saved to
the settings and takes effect the next time SpasmCoach starts, which the menu says plainly.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from spasmcoach.core import i18n
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.notify import Notifier

# The names of the languages are written in themselves, so anyone can find their own.
CHOICES: tuple[tuple[str, str], ...] = ((i18n.SYSTEM, N_("&System language")), ("en", "&English"), ("de", "&Deutsch"))


def install_qt_translators(app: QCoreApplication, language: str | None = None) -> list[QTranslator]:
    """Load Qt's own catalogue (qtbase_de.qm from the PySide6 wheel) so standard buttons and dialogs
    ("Cancel", the file dialog) speak the same language; returns the translators installed (keep them)."""
    chosen = language or i18n.current_language()
    if chosen == i18n.ENGLISH:
        return []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(f"{name}_{chosen}", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def saved_choice(settings: QSettings) -> str:
    value = str(settings.value(i18n.SETTING_NAME, i18n.SYSTEM))
    return value if value in i18n.SHIPPED else i18n.SYSTEM


def language_menu(parent: QWidget, settings: QSettings, notifier: Notifier | None = None) -> QMenu:
    """The Language submenu: the choice is saved at once and used from the next start."""
    menu = QMenu(_("&Language"), parent)
    menu.setToolTip(_("The language takes effect the next time SpasmCoach starts"))
    group = QActionGroup(menu)
    group.setExclusive(True)
    current = saved_choice(settings)

    def choose(value: str) -> None:
        settings.setValue(i18n.SETTING_NAME, value)
        settings.sync()
        if notifier is not None:
            notifier.notify(_("The new language is used the next time SpasmCoach starts."), key="language")

    for value, text in CHOICES:
        action = QAction(_(text) if value == i18n.SYSTEM else text, menu, checkable=True)
        action.setChecked(value == current)
        action.setData(value)
        action.triggered.connect(lambda _on=False, chosen=value: choose(chosen))
        group.addAction(action)
        menu.addAction(action)
    return menu
