"""Helpers that know no app: every app may use them, they import none."""
