"""Models of the concentration domain."""
