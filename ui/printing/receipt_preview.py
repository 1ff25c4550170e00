"""The receipt as it prints, on screen: a scrollable picture of the paper.

Why: the cashier (and the customer across the counter) should see the receipt the printer
prints -- or would print, when there is no printer or it is out of paper. The picture is the
printer layer's own raster preview (`ReceiptRenderer.preview_image`: the same layout blocks
drawn the way the printer draws raster text), made on the I/O pool by `PrintBridge.preview`
and scaled here to the width available, on white "paper" with a thin shadow.

UI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ui.printing.print_bridge import PrintBridge

PAPER_WIDTH_PX = 340  # on screen: about the width of a real 80 mm roll on a counter monitor


class ReceiptPreview(QScrollArea):
    def __init__(self, bridge: PrintBridge | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReceiptPreview")
        self._bridge = bridge
        self._generation = 0
        self.image: QImage | None = None
        self.sale_id: str | None = None
        self.paper = QLabel()
        self.paper.setObjectName("ReceiptPaper")
        self.paper.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.paper.setStyleSheet("background: white; border: 1px solid #c8d1dc;"
                                 " padding: 12px 6px;")
        self.paper.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.paper.hide()
        holder = QWidget()
        holder.setObjectName("ReceiptPreviewHolder")
        col = QVBoxLayout(holder)
        col.setContentsMargins(8, 8, 8, 8)
        col.addWidget(self.paper, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addStretch(1)
        self.setWidget(holder)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(PAPER_WIDTH_PX // 2)

    def show_receipt(self, sale_id: str, copy: bool = False) -> None:
        """Draw the sale's receipt (in the background); the last request wins."""
        self._generation += 1
        generation = self._generation
        self.sale_id = sale_id
        self.image = None
        self.paper.show()
        self._say(self.tr("Preparing the receipt preview…"))
        if self._bridge is None:
            return
        self._bridge.preview(sale_id, copy,
                             lambda image: self._drawn(generation, image),
                             lambda exc: self._failed(generation, exc))

    def clear(self) -> None:
        """No receipt: no empty paper either."""
        self._generation += 1
        self.sale_id = None
        self.image = None
        self.paper.setPixmap(QPixmap())
        self.paper.hide()

    def _drawn(self, generation: int, image: QImage) -> None:
        if generation != self._generation:
            return
        self.image = image
        self._show_scaled()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._say(self.tr("No preview: %1").replace("%1", str(exc)))

    def _say(self, text: str) -> None:
        """A line on the paper instead of the receipt. (Word wrap only for text: a wrapping
        label answers height-for-width, which a layout applies to a picture as 0 high.)"""
        self.paper.setPixmap(QPixmap())
        self.paper.setWordWrap(True)
        self.paper.setFixedWidth(PAPER_WIDTH_PX // 2 + 40)
        self.paper.setText(text)
        self.paper.setMinimumHeight(self.paper.heightForWidth(self.paper.width()))

    def _show_scaled(self) -> None:
        if self.image is None:
            return
        width = max(120, min(PAPER_WIDTH_PX, self.viewport().width() - 40))
        scaled = self.image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.paper.setWordWrap(False)
        self.paper.setText("")
        self.paper.setPixmap(QPixmap.fromImage(scaled))
        self.paper.setMinimumSize(0, 0)
        self.paper.setMaximumSize(16_777_215, 16_777_215)
        self.paper.adjustSize()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._show_scaled()
