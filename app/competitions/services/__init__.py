"""Old paths of the competitions' services (now setup/, bidding/, evaluation/ and award/services.py,
and queries.py), kept as one-line re-exports only for app/api and seed while others rework them
(issue 14). The lead deletes this package when they import the new paths; nothing else may import
it (tests/test_architecture.py, COMPAT)."""
