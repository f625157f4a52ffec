"""Demo content for the governance domain."""


def load(loader) -> None:
    """Add this domain's demo content (idempotent); the caller commits."""
