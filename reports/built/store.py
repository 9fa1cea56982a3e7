"""Where the built files are kept: the default storage, under the plan, its data version and its calendar point.

The key holds what shapes the file: the plan's data version (any write changes it), the plan's calendar point
(`completeness.calendar_point`: statuses and gaps move with the calendar only when a semester begins or a
deadline passes, so an ordinary midnight leaves every built file good), the language, the format and the release
of the code (page_cache.release). A file says the day it was built on ("as of"): its figures are those of any day
with the same point. Files of earlier versions or points are deleted when a build of the plan stores a new one.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from indicators.figures.completeness import calendar_points
from reports.dashboards.page_cache import release

FOLDER = "built"


def _folder(plan) -> str:
    return f"{FOLDER}/{plan.pk}"


def _version(plan) -> str:
    """The plan's data version and calendar point today: what a built file of the plan stands for."""
    point = calendar_points([plan], as_of=timezone.localdate())[plan.pk]
    return f"{plan.data_version}-{point}"


def name(plan, kind: str, fmt: str, language: str) -> str:
    return f"{_folder(plan)}/{_version(plan)}-{release()}-{kind}-{language}.{fmt}"


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
    """Delete the plan's files of other data versions or calendar points."""
    keep = f"{_version(plan)}-"
    try:
        _dirs, files = default_storage.listdir(_folder(plan))
    except FileNotFoundError:
        return
    for file in files:
        if not file.startswith(keep):
            default_storage.delete(f"{_folder(plan)}/{file}")
