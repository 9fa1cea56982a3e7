"""What the export commands share: the file they write."""

from pathlib import Path

from django.core.management import CommandError

from tptto_monitor.lib import atomic


def write_output(output: str, content: bytes) -> Path:
    """Writes `content` to the file `output`, whole or not at all (a full disk leaves no half file); a file that
    cannot be written is the command's error, with the reason."""
    path = Path(output)
    try:
        atomic.write_bytes(path, content)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
    return path
