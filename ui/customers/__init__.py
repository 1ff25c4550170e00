"""Clienteling screens (issue 5): Customers, profile, quick attach, My tasks."""
