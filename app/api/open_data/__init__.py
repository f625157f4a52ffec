"""The open-data downloads: the page that lists everything published, and the public register as
a SQLite database (it exports from every domain, so it sits above them)."""
