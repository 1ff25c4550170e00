"""Turn the till's own note and task rows (pos_app.services.clienteling LocalNote/LocalTask)
into the wire views the profile shows (sync.protocol_customers NoteView/TaskView).

Why: the profile renders one shape whether a note came from HQ or was written on this till a
second ago and is still waiting in the outbox. Pure code: safe on any thread.
"""
from __future__ import annotations

from sync.protocol_customers import NoteView, TaskView


def note_view(note) -> NoteView:
    """A LocalNote (or a NoteView, returned as is) as a NoteView."""
    if isinstance(note, NoteView):
        return note
    return NoteView(id=note.id, text=note.text, by=note.by or "", store_code=None, at=note.at)


def task_view(task, customer_name: str) -> TaskView:
    """A LocalTask (or a TaskView, returned as is) as a TaskView."""
    if isinstance(task, TaskView):
        return task
    return TaskView(id=task.id, customer_id=task.customer_id,
                    customer_name=task.customer_name or customer_name, text=task.text,
                    due_date=task.due_date, status=task.status, assigned_to=task.assigned_to,
                    assigned_to_name=task.assigned_to_name, created_by=task.associate_id,
                    at=task.at)
