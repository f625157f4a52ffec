"""Fixtures for the audit log tests: the shared ones in tests/conftest.py serve."""
