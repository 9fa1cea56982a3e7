"""The API's request and response shapes (they are also its OpenAPI schema).

Requests are strict: an unknown field, a number sent as text or text where a number
belongs is refused (422), never guessed at. Strings refuse the NUL character, which
PostgreSQL cannot store, so that such input is a 422 rather than a server error.
"""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StrictBool, StringConstraints

from indicators.models import EntryStatus, Kind, MilestoneStatus

MAX_INT = 2_147_483_647  # a PositiveIntegerField on PostgreSQL


def _not_text(value):
    # JSON's 5 and 5.0 are both integers; "5" and true are not numbers and are refused, not coerced
    if isinstance(value, (str, bool, bytes)):
        raise ValueError("Input should be a number, not text")
    return value


Integer = Annotated[int, BeforeValidator(_not_text)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=10_000)]
ShortText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)]
Code = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=40)]
Semester = Annotated[str, StringConstraints(pattern=r"^2\d{3}S[12]$")]
PeriodText = Annotated[str, StringConstraints(pattern=r"^2\d{3}(S[12])?$")]
Count = Annotated[Integer, Field(ge=0, le=MAX_INT)]
Version = Annotated[Integer, Field(ge=1, le=MAX_INT)]
Number = float  # decimals as JSON numbers; two decimals are all the figures carry


# --- the plan ------------------------------------------------------------------------------------------------


class PlanOut(Schema):
    code: str
    name_id: str
    name_en: str
    region: str = Field(description="Kemendagri code of the regency")
    start_year: int
    end_year: int

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class PillarOut(Schema):
    number: int
    name_id: str
    name_en: str


class ProgramOut(Schema):
    code: str
    pillar: int
    letter: str
    name_id: str
    name_en: str

    @staticmethod
    def resolve_pillar(obj) -> int:
        return obj.pillar.number


class ActivityOut(Schema):
    code: str
    program: str
    number: int
    name_id: str
    name_en: str

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.code


class TargetOut(Schema):
    year: int
    value: Number


class IndicatorOut(Schema):
    code: str
    pillar: int
    program: str
    activity: str
    text_id: str
    text_en: str
    kind: Kind
    unit_id: str
    unit_en: str
    plan_target: Number | None
    agency: str = Field(description="code of the responsible agency")
    agency_inferred: bool
    note_id: str
    note_en: str
    targets: list[TargetOut] = Field(description="annual targets, one per year of the plan that has one")

    @staticmethod
    def resolve_pillar(obj) -> int:
        return obj.activity.program.pillar.number

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.activity.program.code

    @staticmethod
    def resolve_activity(obj) -> str:
        return obj.activity.code

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_targets(obj) -> list[dict]:
        return [{"year": t.year, "value": t.value} for t in obj.targets.all()]


class AgencyOut(Schema):
    code: str
    region: str | None = Field(description="Kemendagri code of the agency's regency; null: shared by several")
    short_name: str
    name_id: str
    name_en: str
    is_secretariat: bool

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region.code if obj.region_id else None


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


# --- figures -------------------------------------------------------------------------------------------------


class FigureOut(Schema):
    code: str
    kind: Kind
    target: Number | None
    actual: Number | None
    achievement: Number | None = Field(
        description="actual ÷ target × 100, uncapped; a milestone's 0, 50 or 100 from its state; null without a "
        "target or with nothing reported"
    )
    status: str = Field(description="on_track, behind, off_track, no_data, not_due or untargeted")
    entries: int
    pace_target: Number | None = Field(description="target due by the end of the period")
    pace_actual: Number | None
    text: str = Field(description="qualitative indicators: the latest narrative")


class PillarFigureOut(Schema):
    number: int
    achievement: Number | None = Field(description="mean of capped achievements of the indicators due")
    indicators: int = Field(description="how many indicators are behind the mean")


class FiguresOut(Schema):
    plan: str
    period: str | None = Field(description="2021, 2021S1, or null for the plan to date")
    as_of: datetime.date
    unverified: bool = Field(description="true: submitted entries are counted too (not official)")
    pillars: list[PillarFigureOut]
    indicators: list[FigureOut]


# --- entries -------------------------------------------------------------------------------------------------


class EntryOut(Schema):
    id: int
    plan: str
    indicator: str
    agency: str
    period: str
    date: datetime.date
    kecamatan: str | None
    place: str
    value: int | None
    male: int | None
    female: int | None
    child: int | None
    adult: int | None
    numerator: int | None
    denominator: int | None
    milestone_status: str
    narrative: str
    status: EntryStatus
    return_reason: str
    version: int = Field(description="send it back with an edit; a stale version is refused (409)")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_plan(obj) -> str:
        return obj.indicator.plan.code

    @staticmethod
    def resolve_indicator(obj) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_period(obj) -> str:
        return str(obj.period)

    @staticmethod
    def resolve_kecamatan(obj) -> str | None:
        return obj.kecamatan.code if obj.kecamatan_id else None


class _EntryValues(Schema):
    model_config = ConfigDict(extra="forbid")

    date: datetime.date | None = None
    kecamatan: Code | None = Field(None, description="Kemendagri code, e.g. 53.03.08")
    place: ShortText = ""
    value: Count | None = None
    male: Count | None = None
    female: Count | None = None
    child: Count | None = None
    adult: Count | None = None
    numerator: Count | None = None
    denominator: Count | None = None
    milestone_status: MilestoneStatus | None = None
    narrative: Text = ""
    allow_duplicate: StrictBool = Field(False, description="confirm a second entry with the same numbers")
    warning_comment: Text = Field(
        "", description="why a value the data checks flag is right (a 422 on warning_comment asks for it)"
    )


class EntryCreate(_EntryValues):
    indicator: Code = Field(description="indicator code, e.g. 1.a.2.1")
    period: Semester = Field(description="a semester: 2021S1 or 2021S2")
    date: datetime.date = Field(description="date of the work")


class EntryUpdate(_EntryValues):
    version: Version = Field(description="the version you read")
    period: Semester | None = None


class EntryVersion(Schema):
    model_config = ConfigDict(extra="forbid")

    version: Version | None = Field(None, description="the version you read")


class EntrySubmit(EntryVersion):
    answer: Text = Field(
        "", description="a returned entry: the answer to the verifier's reason, needed when nothing was changed"
    )
