"""Tests of the HQ service, each database test on SQLite and PostgreSQL."""
