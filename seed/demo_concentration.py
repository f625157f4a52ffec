"""Demo content for the concentration domain."""


def load(loader) -> None:
    """Add this domain's demo content (idempotent); the caller commits."""
