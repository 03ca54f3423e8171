"""The start-up reference: the least a PySide6 program can do to show a window titled like the app."""

import sys

from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()
window.setWindowTitle("SpasmCoach")
window.resize(1200, 820)
window.show()
sys.exit(app.exec())
