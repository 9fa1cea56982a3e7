"""The summary's message in words: what page 2 of the PDF and the DOCX open with.

Every number comes from the rollup (status counts, the pillars ranked by achievement, each pillar's
change since the year before); this module only puts them into sentences, in the language active
when it is called (the summary calls it inside `translation.override`).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.figures.rollup import PillarChange, PlanRollup, Status
from tptto_monitor.lib.numbers import format_number


def pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{format_number(value, 1)} %"


def sentences(rollup: PlanRollup, year: int | None) -> list[str]:
    """The status of the indicators, the lowest and highest pillar and (for a year) the change since the
    year before, one sentence each."""
    found = [_statuses(rollup, year), _extremes(rollup, year)]
    if year is not None:
        found += _changes(rollup, year)
    return found


def _statuses(rollup: PlanRollup, year: int | None) -> str:
    counts = rollup.status_counts(year)
    figures = {
        "year": year,
        "on_track": format_number(counts[Status.ON_TRACK]),
        "behind": format_number(counts[Status.BEHIND]),
        "off_track": format_number(counts[Status.OFF_TRACK]),
    }
    if year is None:
        line = ngettext(
            "Over the plan to date, %(on_track)s indicator is on track, %(behind)s behind and %(off_track)s off track.",
            "Over the plan to date, %(on_track)s indicators are on track, %(behind)s behind and %(off_track)s off "
            "track.",
            counts[Status.ON_TRACK],
        )
    else:
        line = ngettext(
            "In %(year)s, %(on_track)s indicator is on track, %(behind)s behind and %(off_track)s off track.",
            "In %(year)s, %(on_track)s indicators are on track, %(behind)s behind and %(off_track)s off track.",
            counts[Status.ON_TRACK],
        )
    line %= figures
    missing = counts[Status.NO_DATA]
    if missing:
        line += " " + ngettext(
            "%(count)s indicator that is due has no verified data yet.",
            "%(count)s indicators that are due have no verified data yet.",
            missing,
        ) % {"count": format_number(missing)}
    return line


def _period(year: int | None) -> str:
    return _("over the plan to date") if year is None else _("in %(year)s") % {"year": year}


def _extremes(rollup: PlanRollup, year: int | None) -> str:
    ranked = rollup.pillars_ranked(year)
    period = _period(year)
    if not ranked:
        return _("No pillar has a targeted indicator due %(period)s.") % {"period": period}
    low, high = ranked[0], ranked[-1]
    low_figure, high_figure = rollup.pillar_figure(low, year), rollup.pillar_figure(high, year)
    if len(ranked) == 1:
        return _("Only pillar %(number)s (%(name)s) has a targeted indicator due %(period)s: %(achievement)s.") % {
            "number": low.pillar.number,
            "name": low.pillar.name,
            "period": period,
            "achievement": pct(low_figure.achievement),
        }
    if low_figure.achievement == high_figure.achievement:
        return _("Every pillar with a targeted indicator due stands at %(achievement)s %(period)s.") % {
            "achievement": pct(low_figure.achievement),
            "period": period,
        }
    return _(
        "Pillar %(low)s (%(low_name)s) has the lowest achievement %(period)s, %(low_achievement)s; "
        "pillar %(high)s (%(high_name)s) the highest, %(high_achievement)s."
    ) % {
        "low": low.pillar.number,
        "low_name": low.pillar.name,
        "period": period,
        "low_achievement": pct(low_figure.achievement),
        "high": high.pillar.number,
        "high_name": high.pillar.name,
        "high_achievement": pct(high_figure.achievement),
    }


def _change(change: PillarChange) -> str:
    figures = {
        "number": change.pillar.number,
        "before": pct(change.before.achievement),
        "now": pct(change.now.achievement),
    }
    points = change.points
    if points is None:
        return _("pillar %(number)s cannot be compared (no indicator due in one of the two years)") % figures
    figures["points"] = format_number(abs(points), 1)
    if round(points, 1) > 0:
        return _("pillar %(number)s rose from %(before)s to %(now)s (+%(points)s points)") % figures
    if round(points, 1) < 0:
        return _("pillar %(number)s fell from %(before)s to %(now)s (−%(points)s points)") % figures
    return _("pillar %(number)s stayed at %(now)s") % figures


def _changes(rollup: PlanRollup, year: int) -> list[str]:
    changes = rollup.pillar_changes(year)
    if not changes:
        return [_("%(year)s is the plan's first year: there is no year before to compare with.") % {"year": year}]
    before, now = rollup.status_counts(year - 1), rollup.status_counts(year)
    return [
        _("Compared with %(before_year)s: %(changes)s.")
        % {"before_year": year - 1, "changes": "; ".join(_change(c) for c in changes)},
        _(
            "Indicators on track: %(on_track)s (%(before_year)s: %(on_track_before)s); "
            "off track: %(off_track)s (%(before_year)s: %(off_track_before)s)."
        )
        % {
            "before_year": year - 1,
            "on_track": format_number(now[Status.ON_TRACK]),
            "on_track_before": format_number(before[Status.ON_TRACK]),
            "off_track": format_number(now[Status.OFF_TRACK]),
            "off_track_before": format_number(before[Status.OFF_TRACK]),
        },
    ]
