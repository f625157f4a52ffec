"""Demo content for the api domain: none.

Personal API tokens are made by their owners on the "API tokens" page and shown once; a demo
token in the seed would be a published secret. The OCDS publication, the JSON API and the SQLite
export are built from the other domains' data (frameworks, offers, competitions) as it is.
"""


def load(loader) -> None:
    """Nothing to add (see the module docstring); kept so the loader order stays fixed."""
