"""A new plan from a plan file, as a job: the file and the plan checked again, then the draft created.

The check is the preview's (`check_upload`: the plan's slug, years and regency, every row of the file);
`create_plan` makes the draft in one transaction, and the job is done in that same transaction, naming
the plan. A plan file of thousands of indicators takes minutes to create: as a job it never meets the
web server's timeout, and a confirmation clicked again, or retried after a lost connection, leads to the
job and, once done, to the plan.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from indicators.intake.uploads import PLAN_UPLOADS
from indicators.jobs.progress import Progress
from indicators.jobs.runner import JobFailed, complete
from indicators.models import Job
from indicators.plans.plan_import import (
    ParsedPlan,
    create_plan,
    other_regencies_named,
    parse_plan_file,
    plan_problems,
)
from programs.access import regencies_acted_in
from programs.models import Region


@dataclass
class Checked:
    """The file and the plan checked: the tree to create, or the problems, each with its row and column."""

    parsed: ParsedPlan
    region: Region | None
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row; 0: the plan or the file, column, …)
    flagged: dict[str, list[Region]] = field(default_factory=dict)  # new agency code → other regencies it names

    @property
    def ok(self) -> bool:
        return self.region is not None and not self.problems


def check_upload(details: dict, data: bytes, regencies: list[Region]) -> Checked:
    """The upload's plan (regency, slug, years, name as the form told) and every row of its file."""
    years = tuple(details["years"])
    region, problems = plan_problems(
        region_code=details["regency"], code=details["slug"], name=details["name"], years=years
    )
    labels = {"regency": _("Regency"), "slug": _("Slug"), "years": _("Years")}
    found = [(0, labels[key], message) for key, messages_ in problems.items() for message in messages_]
    if details["regency"] not in {regency.code for regency in regencies}:
        found.append((0, labels["regency"], _("You cannot create a plan for this regency.")))
    parsed = parse_plan_file(data, years=years, region=region)
    flagged = other_regencies_named(parsed.new_agencies, region)
    return Checked(parsed=parsed, region=region, problems=found + parsed.errors, flagged=flagged)


def _failed(checked: Checked) -> JobFailed:
    errors = [{"row": row, "column": column, "message": message} for row, column, message in checked.problems]
    return JobFailed(_("Nothing was created: the file or the plan has errors."), {"errors": errors[:200]})


def run(job: Job, progress: Progress) -> None:
    data = PLAN_UPLOADS.kept(job.token)
    if data is None:
        raise JobFailed(_("The uploaded file is no longer kept: upload it again."))
    details = job.params["details"]
    progress(0, 0, _("Checking the file"))
    checked = check_upload(details, data, list(regencies_acted_in(job.user)))
    if not checked.ok:
        raise _failed(checked)
    if checked.flagged and not job.params.get("agencies_checked"):
        raise JobFailed(_("Nothing was created: confirm that the agencies' names are right for this regency."))
    count = checked.parsed.count
    progress(0, count, _("Creating the plan"))
    try:
        with transaction.atomic():
            plan = create_plan(
                checked.parsed,
                region=checked.region,
                code=details["slug"],
                name=details["name"],
                years=tuple(details["years"]),
            )
            complete(job, done=count, total=count, message="", outcome={"plan": plan.code}, plan=plan)
    except ValidationError as error:  # a rule of the models that the file's checks do not know
        checked.problems += [(0, "", message) for message in error.messages]
        raise _failed(checked) from None
    except IntegrityError:  # the slug was taken meanwhile: the checks now say so
        raise _failed(check_upload(details, data, list(regencies_acted_in(job.user)))) from None
    PLAN_UPLOADS.discard(job.token)
