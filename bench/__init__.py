"""Benchmarks (`qa bench`): speed against the embedding model's floor, and the index at scale.

Not part of the test run; `tests/test_bench.py` runs them at a tiny size so they cannot rot.
"""
