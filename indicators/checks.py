"""Data checks on entries (placeholder, filled below)."""


def warning_message(kind: str, figures: dict) -> str:
    return kind
