"""The exclusion register: suppliers excluded or debarred, kept by the national commercial team."""
