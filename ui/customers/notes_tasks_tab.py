"""Notes and follow-up tasks on the profile: read what colleagues wrote, add a note, add a
task with a due date and an assignee ("call when size 42 arrives"), mark a task done.

Why: notes and tasks are written on the till at once, online or offline
(pos_app.services.clienteling: local rows + an outbox event, one transaction, on the
database worker) and shown right away beside what HQ sent; HQ merges them when the event
arrives. Rows carry ids, so a note written here and later echoed back by HQ shows once.
UI thread only.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QScroller,
                               QVBoxLayout, QWidget)

from sync.protocol_customers import CustomerProfile, NoteView, TaskView
from ui.customers.local_views import note_view, task_view
from ui.customers.wording import local_date, local_datetime
from ui.services import AppServices
from ui.text_input import failure_text, text_problem
from ui.theme import LayoutMode


class NotesTasksTab(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.profile: CustomerProfile | None = None
        self.notes: dict[str, NoteView] = {}
        self.tasks: dict[str, TaskView] = {}
        self.associate_id: str | None = None

        self.note_text = QPlainTextEdit(self)
        self.note_text.setObjectName("NewNote")
        self.note_text.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        self.add_note_btn = QPushButton(self)
        self.add_note_btn.setObjectName("AddNote")
        self.add_note_btn.clicked.connect(self.add_note)
        self.task_text = QLineEdit(self)
        self.task_text.setObjectName("NewTask")
        self.task_due = QDateEdit(self)
        self.task_due.setObjectName("TaskDue")
        self.task_due.setCalendarPopup(True)
        self.task_due.setDisplayFormat("dd/MM/yyyy")
        self.task_due.setDate(QDate.currentDate().addDays(7))
        self.task_assignee = QComboBox(self)
        self.task_assignee.setObjectName("TaskAssignee")
        self.add_task_btn = QPushButton(self)
        self.add_task_btn.setObjectName("AddTask")
        self.add_task_btn.clicked.connect(self.add_task)
        self.message = QLabel(self)
        self.message.setObjectName("NotesMessage")
        self.message.setWordWrap(True)

        self.list = QScrollArea(self)
        self.list.setObjectName("NotesAndTasks")
        self.list.setWidgetResizable(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        QScroller.grabGesture(self.list.viewport(), QScroller.ScrollerGestureType.TouchGesture)

        self.lbl_note, self.lbl_task = QLabel(self), QLabel(self)
        self.lbl_due, self.lbl_for = QLabel(self), QLabel(self)
        form = QGridLayout()
        form.addWidget(self.lbl_note, 0, 0)
        form.addWidget(self.note_text, 0, 1, 1, 3)
        form.addWidget(self.add_note_btn, 0, 4)
        form.addWidget(self.lbl_task, 1, 0)
        form.addWidget(self.task_text, 1, 1, 1, 3)
        form.addWidget(self.add_task_btn, 1, 4, 2, 1)
        due_row = QHBoxLayout()
        due_row.addWidget(self.lbl_due)
        due_row.addWidget(self.task_due)
        due_row.addWidget(self.lbl_for)
        due_row.addWidget(self.task_assignee, 1)
        form.addLayout(due_row, 2, 1, 1, 3)
        form.setColumnStretch(1, 1)
        tablet = services.layout is LayoutMode.TABLET
        col = QVBoxLayout(self)
        col.addWidget(self.list, 1)
        col.addWidget(self.message)
        col.addLayout(form)
        if tablet:
            self.note_text.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 16)
        self._associates: list = []
        self.services.tasks.run_db(self.services.till.associates, self._got_associates,
                                   lambda _e: None)
        self.retranslate()

    def retranslate(self) -> None:
        self.lbl_note.setText(self.tr("Note"))
        self.lbl_task.setText(self.tr("Task"))
        self.lbl_due.setText(self.tr("Due"))
        self.lbl_for.setText(self.tr("For"))
        self.note_text.setPlaceholderText(self.tr("e.g. prefers natural fabrics, gift for her "
                                                  "mother in May"))
        self.task_text.setPlaceholderText(self.tr("e.g. call when size 42 arrives"))
        self.add_note_btn.setText(self.tr("Add note"))
        self.add_task_btn.setText(self.tr("Add task"))
        self._fill_assignees()
        self._render()

    # --- data --------------------------------------------------------------------------------
    def set_associate(self, associate_id: str | None) -> None:
        self.associate_id = associate_id

    def _got_associates(self, associates: list) -> None:
        self._associates = associates
        self._fill_assignees()

    def _fill_assignees(self) -> None:
        chosen = self.task_assignee.currentData()
        self.task_assignee.clear()
        self.task_assignee.addItem(self.tr("Anyone in the store"), None)
        for assoc in self._associates:
            self.task_assignee.addItem(assoc.name, assoc.id)
        index = self.task_assignee.findData(chosen)
        self.task_assignee.setCurrentIndex(max(index, 0))

    def show_profile(self, profile: CustomerProfile) -> None:
        self.profile = profile
        self.notes = {n.id: n for n in profile.notes}
        self.tasks = {t.id: t for t in profile.tasks}
        self.message.setText("")
        self._render()
        customer_id = profile.customer.id
        service = self.services.customers.service
        # What this till wrote that HQ may not have yet (pushed in the background).
        self.services.tasks.run_db(
            lambda: (service.notes(customer_id), service.tasks(customer_id)),
            lambda got: self._merge_local(customer_id, *got), self._failed)

    def _merge_local(self, customer_id: str, notes: list, tasks: list) -> None:
        if self.profile is None or self.profile.customer.id != customer_id:
            return
        for note in notes:
            self.notes.setdefault(note.id, note_view(note))
        for task in tasks:
            view = task_view(task, self.profile.customer.name)
            known = self.tasks.get(view.id)
            if known is None or view.at >= known.at:
                self.tasks[view.id] = view
        self._render()

    # --- actions -------------------------------------------------------------------------
    def add_note(self) -> None:
        text = self.note_text.toPlainText().strip()
        if self.profile is None:
            return
        if not text:
            self._say(self.tr("Write the note first."), error=True)
            return
        problem = text_problem(self.tr("Note"), text)
        if problem is not None:
            self._say(problem, error=True)
            return
        customer_id, who = self.profile.customer.id, self.associate_id
        service = self.services.customers.service
        self.add_note_btn.setEnabled(False)
        self.services.tasks.run_db(lambda: service.add_note(customer_id, text, who),
                                   self._note_added, self._failed)

    def _note_added(self, note) -> None:
        self.add_note_btn.setEnabled(True)
        self.note_text.clear()
        view = note_view(note)
        self.notes[view.id] = view
        self._render()
        self._say(self.tr("Note saved. It reaches HQ with the next sync."))

    def add_task(self) -> None:
        text = self.task_text.text().strip()
        if self.profile is None:
            return
        if not text:
            self._say(self.tr("Write what needs doing first."), error=True)
            return
        problem = text_problem(self.tr("Task"), text)
        if problem is not None:
            self._say(problem, error=True)
            return
        due = self.task_due.date().toString("yyyy-MM-dd")
        if self.task_due.date() < QDate.currentDate():
            self._say(self.tr("The due date is in the past: pick today or later."), error=True)
            return
        customer_id, who = self.profile.customer.id, self.associate_id
        assignee = self.task_assignee.currentData()
        service = self.services.customers.service
        self.add_task_btn.setEnabled(False)
        self.services.tasks.run_db(
            lambda: service.save_task(customer_id, text, due, who, assigned_to=assignee),
            self._task_saved, self._failed)

    def complete(self, task_id: str) -> None:
        who = self.associate_id
        service = self.services.customers.service
        self.services.tasks.run_db(lambda: service.complete_task(task_id, who),
                                   self._task_saved, self._failed)

    def _task_saved(self, task) -> None:
        self.add_task_btn.setEnabled(True)
        if self.profile is None:
            return
        view = task_view(task, self.profile.customer.name)
        if view.status == "open":
            self.task_text.clear()
        self.tasks[view.id] = view
        self._render()
        self._say(self.tr("Task saved."))

    def _failed(self, exc: BaseException) -> None:
        self.add_note_btn.setEnabled(True)
        self.add_task_btn.setEnabled(True)
        self._say(self.tr("Not saved: %1").replace("%1", failure_text(exc)), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "color: #2e7d32;")

    # --- rendering -----------------------------------------------------------------------
    def _render(self) -> None:
        tz = self.services.ctx.timezone
        inner = QWidget()
        col = QVBoxLayout(inner)
        col.setContentsMargins(0, 0, 0, 0)
        tasks = sorted(self.tasks.values(), key=lambda t: (t.status != "open", t.due_date))
        col.addWidget(QLabel("<b>" + self.tr("Tasks") + "</b>"))
        if not tasks:
            col.addWidget(QLabel(self.tr("No tasks.")))
        for task in tasks:
            row = QFrame()
            row.setObjectName("TaskRow")
            row.setFrameShape(QFrame.Shape.StyledPanel)
            line = QHBoxLayout(row)
            line.setContentsMargins(8, 2, 8, 2)
            who = task.assigned_to_name or self.tr("anyone")
            state = self.tr("done") if task.status == "done" else self.tr("due %1").replace(
                "%1", local_date(task.due_date))
            for_who = self.tr("for %1").replace("%1", escape(who))
            label = QLabel(f"{'✓ ' if task.status == 'done' else ''}<b>{escape(task.text)}</b><br>"
                           f"{state} · {for_who}")
            label.setWordWrap(True)
            line.addWidget(label, 1)
            if task.status == "open":
                done = QPushButton(self.tr("Mark done"))
                done.setObjectName("TaskDone")
                done.clicked.connect(lambda _=False, tid=task.id: self.complete(tid))
                line.addWidget(done)
            col.addWidget(row)
        col.addWidget(QLabel("<b>" + self.tr("Notes") + "</b>"))
        notes = sorted(self.notes.values(), key=lambda n: n.at, reverse=True)
        if not notes:
            col.addWidget(QLabel(self.tr("No notes yet.")))
        for note in notes:
            where = f" · {note.store_code}" if note.store_code else ""
            label = QLabel(f"{escape(note.text)}<br><small>{escape(note.by)}{where} · "
                           f"{local_datetime(note.at, tz)}</small>")
            label.setObjectName("NoteRow")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setContentsMargins(8, 4, 8, 4)
            col.addWidget(label)
        col.addStretch(1)
        self.list.setWidget(inner)
