"""Benchmarks of chainmatch, run from the repository root as ``python -m bench.NAME`` (figures in docs/benchmarks.md).

Layout: one module per benchmark (``bench/NAME.py``, with a ``main``); ``bench/common/`` holds what several
benchmarks share (the percentile, the BM25 baseline, finding the CLI); a module with a leading underscore is a
part of the benchmarks that name it (``_faults_*`` of faults, ``_load_*`` of load, ``_http_load``: free ports,
/proc readings and HTTP loops of the benchmarks that start servers); ``quality_data``, ``quality_metrics`` and
``quality_b4`` are the quality benchmarks' data loading and scoring (tests score B4 with them too).
``bench.make_scale_data`` is the one scale generator and ``bench.fuzz_engine`` the schemathesis engine that
tests/app/test_fuzz.py also runs.

Tests may import from bench; bench never imports tests, and app, matching and graph import neither
(import-linter contracts in pyproject.toml).
"""
