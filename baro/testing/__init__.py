"""Test support shared by the test packages of every app: the personas (worlds), factories and
checks that more than one package builds on.

Keeping them here, rather than in one app's tests, lets every package use them without
importing another package's test modules or conftest. The root conftest.py registers the
modules that define fixtures (`pytest_plugins`); the others are plain helpers, imported by the
tests that need them. Nothing here is collected as a test (no module is named test_*.py).
"""
