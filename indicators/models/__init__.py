"""Indicators of the plan, their targets, and the progress entries that staff log.

Every figure shown anywhere is computed from these rows by `indicators.figures.rollup`. The models live in
the modules below by what they hold; this package names them all, so `from indicators.models import X`
reads as it always has and Django finds every model here.
"""

from indicators.models.cockpit import (
    DEADLINE_DAYS_AFTER_SEMESTER,
    CheckKind,
    ConsistencyRule,
    EntryWarning,
    FollowUp,
    ReportingDeadline,
    SentReminder,
    default_deadline,
)
from indicators.models.entries import (
    MILESTONE_SCORE,
    Comment,
    EntryStatus,
    Evidence,
    MilestoneStatus,
    ProgressEntry,
    ProgressEntryQuerySet,
    evidence_path,
)
from indicators.models.exchange import Dhis2Mapping, ImportReceipt
from indicators.models.idempotency import IdempotencyKey
from indicators.models.jobs import Job, JobKind, JobState
from indicators.models.kinds import KIND_FIELDS, SPLIT_FIELDS, TEXT_LIMIT, Kind, limited_text
from indicators.models.narratives import NARRATIVE_PARTS, PillarNarrative
from indicators.models.plan import Indicator, IndicatorQuerySet, Target, whole_split
from indicators.models.stored import PlanFigures
from indicators.models.tallies import COUNTED_STATUSES, EntryTotal, SemesterTotal, Totals
from indicators.models.tokens import ApiToken

__all__ = [
    "IdempotencyKey",
    "KIND_FIELDS",
    "SPLIT_FIELDS",
    "TEXT_LIMIT",
    "Kind",
    "limited_text",
    "Indicator",
    "IndicatorQuerySet",
    "Target",
    "whole_split",
    "MILESTONE_SCORE",
    "Comment",
    "EntryStatus",
    "Evidence",
    "MilestoneStatus",
    "ProgressEntry",
    "ProgressEntryQuerySet",
    "evidence_path",
    "DEADLINE_DAYS_AFTER_SEMESTER",
    "CheckKind",
    "ConsistencyRule",
    "EntryWarning",
    "FollowUp",
    "ReportingDeadline",
    "SentReminder",
    "default_deadline",
    "Dhis2Mapping",
    "ImportReceipt",
    "ApiToken",
    "PlanFigures",
    "COUNTED_STATUSES",
    "EntryTotal",
    "SemesterTotal",
    "Totals",
    "NARRATIVE_PARTS",
    "PillarNarrative",
    "Job",
    "JobKind",
    "JobState",
]
