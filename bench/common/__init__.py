"""What several benchmarks share: one percentile, one BM25 baseline, one way to find the chainmatch CLI."""
