"""Benchmarks for issue 6 (scale): `make bench`, or `python -m bench.run --people N`."""
