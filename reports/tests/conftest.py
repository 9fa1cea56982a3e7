"""Fixtures shared by the reports tests."""

from reports.tests.summary_fixtures import entries  # noqa: F401 (the summary tests' entries)
