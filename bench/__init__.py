"""Benchmarks: generated catalogs, timings and memory (run `python -m bench`)."""
