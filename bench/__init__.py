"""Benchmarks: a synthetic data generator (generate.py), the measurements (run.py) and the
trivial endpoints the page measurements compare against (endpoints.py, only in bench/wsgi.py's app)."""
