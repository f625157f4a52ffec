"""Models of the competitions domain."""
