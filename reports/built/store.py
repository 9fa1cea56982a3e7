"""Where the built files are kept: the default storage, under the plan, its data version and the day.

The key holds what shapes the file: the plan's data version (any write changes it), the day (statuses
move with the calendar), the language, the format and the release of the code (page_cache.release).
Files of earlier versions are deleted when a build of the plan stores a new one.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from reports.dashboards.page_cache import release

FOLDER = "built"


def _folder(plan) -> str:
    return f"{FOLDER}/{plan.pk}"


def name(plan, kind: str, fmt: str, language: str) -> str:
    day = timezone.localdate().isoformat()
    return f"{_folder(plan)}/{plan.data_version}-{day}-{release()}-{kind}-{language}.{fmt}"


def read(plan, kind: str, fmt: str, language: str) -> bytes | None:
    try:
        with default_storage.open(name(plan, kind, fmt, language), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def write(plan, kind: str, fmt: str, language: str, content: bytes) -> None:
    path = name(plan, kind, fmt, language)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))


def prune(plan) -> None:
    """Delete the plan's files of other data versions or days."""
    keep = f"{plan.data_version}-{timezone.localdate().isoformat()}-"
    try:
        _dirs, files = default_storage.listdir(_folder(plan))
    except FileNotFoundError:
        return
    for file in files:
        if not file.startswith(keep):
            default_storage.delete(f"{_folder(plan)}/{file}")
