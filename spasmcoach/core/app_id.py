"""The one reverse-DNS application id: desktop entry, icon name, AppStream metainfo, D-Bus names."""

from __future__ import annotations

APP_ID = "io.github.spasmcoach.SpasmCoach"
"""Used for the ``.desktop`` file name, the icon name, the metainfo id and the D-Bus service names."""

MIME_TYPE = "application/x-spasmcoach"
"""Routine packages (``*.spasmcoach``), registered with shared-mime-info for a later import feature."""
