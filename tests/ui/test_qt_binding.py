"""The Qt binding must keep Python's reference counts right: a void call that returned
None without a reference would, on Python 3.11, crash a long session ("deallocating
None"). PySide6 6.12.0 did exactly that; this test fails on any binding that does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSortFilterProxyModel, QStringListModel
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(QStringListModel(["a", "b"]))
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
        proxy.invalidate()
    # Other code may hold a few more or fewer references meanwhile; a leak is 1,000.
    assert abs(sys.getrefcount(None) - before) < 50
