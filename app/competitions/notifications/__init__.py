"""Telling people: the in-app inbox and email."""
