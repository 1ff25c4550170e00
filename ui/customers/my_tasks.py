"""My tasks: the open follow-ups for the signed-in associate (and those for anyone in the
store), soonest due first; tap one to open the customer, or mark it done.

Why: a task like "call when size 42 arrives" is only useful if it comes back to the person
who promised it. The list is the till's own (pos_app.services.clienteling.my_tasks: tasks
written here plus those of the store's saved profiles), so it works offline.
Database worker for reads and writes; UI thread otherwise.
"""
from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QScroller,
                               QVBoxLayout, QWidget)

from ui.customers.wording import local_date
from ui.services import AppServices


class MyTasksView(QWidget):
    back = Signal()
    open_customer = Signal(str)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MyTasks")
        self.services = services
        self.associate_id: str | None = None
        self.tasks: list = []
        self.back_btn = QPushButton(self)
        self.back_btn.setObjectName("TasksBack")
        self.back_btn.clicked.connect(self.back.emit)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.list = QScrollArea(self)
        self.list.setObjectName("MyTasksList")
        self.list.setWidgetResizable(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        QScroller.grabGesture(self.list.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        top = QHBoxLayout()
        top.addWidget(self.back_btn)
        top.addWidget(self.title, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 8, 8, 8)
        col.addLayout(top)
        col.addWidget(self.message)
        col.addWidget(self.list, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.back_btn.setText(self.tr("◀ Back"))
        self.title.setText(self.tr("My tasks"))
        self._render()

    def refresh(self) -> None:
        if self.associate_id is None:
            return
        service, who = self.services.customers.service, self.associate_id
        self.services.tasks.run_db(lambda: service.my_tasks(who), self._loaded, self._failed)

    def _loaded(self, tasks: list) -> None:
        self.tasks = list(tasks)
        self.message.setText("")
        self._render()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("Could not load the tasks: %1").replace("%1", str(exc)))
        self.message.setStyleSheet("color: #b3261e;")

    def mark_done(self, task_id: str) -> None:
        service, who = self.services.customers.service, self.associate_id
        self.services.tasks.run_db(lambda: service.complete_task(task_id, who),
                                   lambda _t: self.refresh(), self._failed)

    def _render(self) -> None:
        inner = QWidget()
        col = QVBoxLayout(inner)
        col.setContentsMargins(0, 0, 0, 0)
        today = date.today().isoformat()
        if not self.tasks:
            col.addWidget(QLabel(self.tr("No open tasks for you. Well done.")))
        for task in self.tasks:
            row = QFrame()
            row.setObjectName("MyTaskRow")
            row.setFrameShape(QFrame.Shape.StyledPanel)
            line = QHBoxLayout(row)
            overdue = task.due_date < today
            due = self.tr("due %1").replace("%1", local_date(task.due_date))
            if overdue:
                late = self.tr("overdue")
                due = f"<span style='color:#b3261e'><b>{late}</b> · {due}</span>"
            who = task.assigned_to_name or self.tr("anyone")
            for_who = self.tr("for %1").replace("%1", escape(who))
            label = QLabel(f"<b>{escape(task.customer_name)}</b> — {escape(task.text)}<br>{due}"
                           f" · {for_who}")
            label.setWordWrap(True)
            line.addWidget(label, 1)
            open_btn = QPushButton(self.tr("Open"))
            open_btn.setObjectName("OpenTaskCustomer")
            open_btn.clicked.connect(lambda _=False, cid=task.customer_id:
                                     self.open_customer.emit(cid))
            done = QPushButton(self.tr("Mark done"))
            done.setObjectName("MyTaskDone")
            done.clicked.connect(lambda _=False, tid=task.id: self.mark_done(tid))
            line.addWidget(open_btn)
            line.addWidget(done)
            col.addWidget(row)
        col.addStretch(1)
        self.list.setWidget(inner)
