"""Searching published offers: the query as a plain value (query.py), one interface over two
full-text backends (engine.py, backends.py), facet counts (facets.py) and the search page
(views.py). `search` and `SearchResults` are the interface other packages use."""
from .engine import SearchResults, search  # noqa: F401
