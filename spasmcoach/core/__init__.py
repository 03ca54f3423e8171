"""The Qt-free core: routines, timing, timers, journal, history, storage and paths (import-linter keeps Qt out)."""
