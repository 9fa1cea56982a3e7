"""Reporting periods: plan years split into semesters, named as in DHIS2
(`2021` for a year, `2021S1` for January–June, `2021S2` for July–December)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:S(?P<semester>[12]))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    semester: int | None = None  # None: the whole year

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = PERIOD_RE.match((text or "").strip().upper())
        if not match:
            raise ValueError(_("“%(value)s” is not a period like 2021, 2021S1 or 2021S2.") % {"value": text or ""})
        semester = match["semester"]
        year = int(match["year"])
        if year < datetime.MINYEAR:  # year 0 has no calendar: no start, no end, no dates in it
            raise ValueError(_("“%(value)s” is not a period like 2021, 2021S1 or 2021S2.") % {"value": text})
        return cls(year, int(semester) if semester else None)

    @classmethod
    def of_date(cls, day: datetime.date) -> "Period":
        return cls(day.year, 1 if day.month <= 6 else 2)

    def __str__(self) -> str:
        return f"{self.year}S{self.semester}" if self.semester else str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 7 if self.semester == 2 else 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.semester == 1:
            return datetime.date(self.year, 6, 30)
        return datetime.date(self.year, 12, 31)

    @property
    def index(self) -> int:
        """A sortable number for a semester: 20211, 20212."""
        return self.year * 10 + (self.semester or 2)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def semesters(years: list[int]) -> list[Period]:
    return [Period(year, semester) for year in years for semester in (1, 2)]
