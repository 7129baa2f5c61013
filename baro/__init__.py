"""Baro — Ba Rõ: assign work, follow it to the end, make responsibility visible."""

__version__ = "0.1.0"
