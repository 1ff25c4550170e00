"""Guard against a PySide6 bug that kills a till after a few thousand repaints.

PySide6 6.12.0 drops a reference to None each time C++ receives None from a Python override
(a model's data() returning None for a role it does not handle). Python 3.11's None is not
immortal, so the interpreter aborts with "deallocating None". pyproject.toml caps PySide6
below 6.12 for this; this test proves the installed version is safe.
"""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class _NoneModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 1

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_none_returned_to_cpp_keeps_its_references(qapp):
    model = _NoneModel()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(2000):
        index.data(Qt.ItemDataRole.ToolTipRole)  # C++ -> Python data() -> None -> QVariant
    after = sys.getrefcount(None)
    assert after >= before - 50, f"None lost {before - after} references"
