"""Models of the offers domain."""
