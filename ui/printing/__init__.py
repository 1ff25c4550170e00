"""Printing in the UI: the print queue's Qt bridge, receipt previews, the printer banner and
settings, the Receipts screen and "No sale". The queue itself is hardware/print_queue.py."""
