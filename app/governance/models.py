"""Models of the governance domain."""
