"""D-Bus values with the exact wire types the desktop expects, built with QtDBus from PySide6.

PySide6 turns every Python ``int`` into a D-Bus ``int32`` (or ``int64`` when large) and has no way to ask
for ``uint32``, ``byte`` or a small ``int64``; strict services (GDBus-based ones such as GNOME Shell and
dunst, Qt-based ones such as Plasma) reject or ignore a value of the wrong type. The helpers here get
the right types from Qt itself:

* :class:`TypedValues` reads a typed Qt property of a tiny object exported on our own connection: Qt
  answers that local ``Properties.Get`` call at once (it never travels to the bus) with a
  :class:`QDBusVariant` that keeps the C++ type (``qlonglong`` → ``x``).
* :func:`variant_map` writes an ``a{sv}`` by hand, so such variants go in without being wrapped twice.
* :func:`string_list` writes an ``as`` that stays ``as`` even when empty.
* :func:`typed_interface` gives a :class:`QDBusInterface` whose methods have the declared argument types
  (``uint32`` included), from introspection XML we supply, so making it never waits for the remote service.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import ClassInfo, Property, QMetaType, QObject
from PySide6.QtDBus import (
    QDBus,
    QDBusArgument,
    QDBusConnection,
    QDBusInterface,
    QDBusMessage,
    QDBusVariant,
    QDBusVirtualObject,
)

from spasmcoach.core.app_id import APP_ID

log = logging.getLogger(__name__)

BASE_PATH = "/" + APP_ID.replace(".", "/")
TYPED_PATH = BASE_PATH + "/TypedValues"
TYPED_INTERFACE = APP_ID + ".TypedValues"
LOCAL_TIMEOUT_MS = 200  # a call to our own connection is answered in-process; this is only a guard


@ClassInfo({"D-Bus Interface": TYPED_INTERFACE})  # type: ignore[call-arg]
class _TypedSource(QObject):  # type: ignore[operator]
    """Holds one value; its properties give it back under a declared C++ type."""

    def __init__(self) -> None:
        super().__init__()
        self.value: int = 0

    def _read(self) -> int:
        return self.value

    Int64 = Property("qlonglong", _read)  # type: ignore[arg-type]  # a C++ type name, which PySide accepts


class TypedValues:
    """Makes ``int64`` variants on ``bus`` (see the module docstring)."""

    def __init__(self, bus: QDBusConnection) -> None:
        self.bus = bus
        self._source = _TypedSource()
        self.ready = bus.registerObject(TYPED_PATH, self._source, QDBusConnection.RegisterOption.ExportAllProperties)

    def _get(self, name: str, value: int) -> QDBusVariant | None:
        if not self.ready:
            return None
        self._source.value = value
        call = QDBusMessage.createMethodCall(
            self.bus.baseService(), TYPED_PATH, "org.freedesktop.DBus.Properties", "Get"
        )
        call.setArguments([TYPED_INTERFACE, name])
        reply = self.bus.call(call, QDBus.CallMode.Block, LOCAL_TIMEOUT_MS)
        result = reply.arguments()[0] if reply.type() == QDBusMessage.MessageType.ReplyMessage else None
        return result if isinstance(result, QDBusVariant) else None

    def int64(self, value: int) -> QDBusVariant | int:
        """A variant holding ``value`` as D-Bus int64 (plain ``value`` if that cannot be made)."""
        typed = self._get("Int64", int(value))
        return typed if typed is not None else int(value)

    def close(self) -> None:
        if self.ready:
            self.bus.unregisterObject(TYPED_PATH)
            self.ready = False


def string_list(items: Sequence[str]) -> QDBusArgument:
    """``as``, also when empty (an empty Python list would go out as ``av``)."""
    arg = QDBusArgument()
    arg.beginArray(QMetaType(QMetaType.Type.QString))
    for item in items:
        arg.appendVariant(str(item))
    arg.endArray()
    return arg


def _variant(value: Any) -> QDBusVariant:
    if isinstance(value, QDBusVariant):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return QDBusVariant(string_list(value))
    return QDBusVariant(value)


def variant_map(entries: Mapping[str, Any]) -> QDBusArgument:
    """``a{sv}`` written entry by entry: typed variants stay single-wrapped, string lists stay ``as``."""
    arg = QDBusArgument()
    arg.beginMap(QMetaType(QMetaType.Type.QString), QMetaType.fromName(b"QDBusVariant"))
    for key, value in entries.items():
        arg.beginMapEntry()
        arg.appendVariant(str(key))  # ``arg << str`` would pick the string-list overload
        arg << _variant(value)
        arg.endMapEntry()
    arg.endMap()
    return arg


class _Schema(QDBusVirtualObject):
    """Answers Introspect with the XML we were given, for one moment, on our own connection."""

    def __init__(self, xml: str) -> None:
        super().__init__()
        self.xml = xml

    def introspect(self, path: str) -> str:
        return self.xml

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        return False


def typed_interface(
    bus: QDBusConnection, service: str, path: str, interface: str, xml: str, timeout_ms: int
) -> QDBusInterface | None:
    """A QDBusInterface for ``interface`` whose method signatures come from ``xml`` (one ``<interface>``).

    Qt keeps one introspected description per interface name and connection, so introspecting our own
    object first means the interface for ``service`` is made from that description, without waiting
    for ``service`` to answer an Introspect call. Calls through it carry the declared types.
    """
    schema_path = BASE_PATH + "/Schema"
    schema = _Schema(xml)
    if not bus.registerVirtualObject(schema_path, schema):
        return None
    try:
        primer = QDBusInterface(bus.baseService(), schema_path, interface, bus)
        if not primer.isValid() or primer.metaObject().methodCount() == primer.metaObject().methodOffset():
            log.info("could not describe %s: %s", interface, primer.lastError().message())
            return None
    finally:
        bus.unregisterObject(schema_path)
    remote = QDBusInterface(service, path, interface, bus)
    remote.setTimeout(timeout_ms)
    return remote
