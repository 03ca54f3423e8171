"""The Qt-free core: routine model and loader, timing engine, therapy timers, journal and paths.

Nothing under this package may import Qt; tests/test_architecture.py and the import-linter contract in
pyproject.toml enforce it, so the core can be driven by a fake clock in plain unit tests.
"""
