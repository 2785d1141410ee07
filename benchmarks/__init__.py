"""Reproducible performance measurements: ``make bench`` (not part of ``make test``)."""
