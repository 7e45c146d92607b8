"""Helpers shared by tests (servers started on free ports, and the like)."""
