"""How TPPO Monitor's data reads in DHIS2 terms (dataValueSets), for the export and the import.

DHIS2 holds aggregate numbers: a value per data element × period × org unit × category
option combo. Here:

- period: the semester, DHIS2's six-monthly id (`2021S1`, `2021S2`);
- org unit: the kecamatan's Kemendagri code (`53.03.08`); entries that name no kecamatan,
  and the kinds reported for the whole regency (milestone, level, qualitative), go to the
  regency (`53.03`);
- data element: the indicator code, with a suffix where one indicator needs several numbers
  (DHIS2 gives a data element one category combo, and a percentage is two numbers):

  | kind | data element (code) | category option combo | value |
  |---|---|---|---|
  | count, periodic, tracked | `1.a.1.1` | default | Σ number |
  | the same, by sex | `1.a.1.1.SEX` | `L` (men/boys), `P` (women/girls) | Σ part, where recorded |
  | the same, by age | `1.a.1.1.AGE` | `ANAK` (children), `DEWASA` (adults) | Σ part, where recorded |
  | percent | `2.b.1.3.NUM`, `2.b.1.3.DEN` | default | Σ numerator, Σ denominator |
  | coverage | `1.b.2.1` | default | 1: the kecamatan was reached (work recorded there) |
  | milestone | `1.b.1.1` | default | 0, 50, 100: not started, in progress, achieved |
  | level | `4.a.5.1` | default | the latest level reported in the semester |
  | qualitative | `2.b.1.2` | default | the latest narrative (text) |

  Sex and age are recorded as two separate splits of the number, never crossed, so they are
  two data elements rather than one sex × age combo.
- attribute option combo: DHIS2's default.

Identifiers are codes (`idScheme=CODE`) unless the administrator maps them to DHIS2 uids in
the admin (`Dhis2Mapping`); an export with uids needs every identifier it uses mapped.
The data set is the plan (its code is the plan's slug); the metadata package
(reports.exchange.dhis2_metadata) creates every object above with these codes.
"""

import hashlib
import string

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models.entries import MILESTONE_SCORE
from indicators.models.kinds import Kind

DEFAULT_COMBO = "default"  # DHIS2's default category (and attribute) option combo, by code
DEFAULT_COMBO_UID = "HllvX50cXC0"  # ... and its uid, the same in every DHIS2 instance
DEFAULT_CATEGORY_COMBO_UID = "bjDvmb4bfuf"  # DHIS2's default category combo, also the same everywhere
SEX = {"male": "L", "female": "P"}
AGE = {"child": "ANAK", "adult": "DEWASA"}
SCORE_STATUS = {score: status for status, score in MILESTONE_SCORE.items()}


def element_codes(code: str, kind: str) -> dict[str, str]:
    """The indicator's data element codes by what they carry: value, sex, age, numerator, denominator."""
    if kind == Kind.PERCENT:
        return {"numerator": f"{code}.NUM", "denominator": f"{code}.DEN"}
    if kind in (Kind.COUNT, Kind.TRACKED):
        return {"value": code, "sex": f"{code}.SEX", "age": f"{code}.AGE"}
    return {"value": code}


def data_set_code(plan) -> str:
    """The DHIS2 data set of a plan: one per plan, coded with the plan's slug."""
    return plan.code


def stable_uid(kind: str, code: str) -> str:
    """A DHIS2 uid (a letter, then 10 letters or digits) drawn from the kind and code: the same
    on every export, so a metadata package imported twice updates its objects, never doubles them."""
    number = int.from_bytes(hashlib.sha256(f"{kind}:{code}".encode()).digest(), "big")
    alphanumeric = string.ascii_letters + string.digits
    first, number = string.ascii_letters[number % 52], number // 52
    rest = []
    for _position in range(10):
        rest.append(alphanumeric[number % 62])
        number //= 62
    return first + "".join(rest)


class Dhis2Mapping(models.Model):
    """A DHIS2 uid for one of our identifiers, where the DHIS2 instance has its own objects."""

    class Kind(models.TextChoices):
        DATA_ELEMENT = "dataElement", _("data element")
        ORG_UNIT = "orgUnit", _("organisation unit")
        COMBO = "categoryOptionCombo", _("category option combo")
        DATA_SET = "dataSet", _("data set")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("our code"),
        max_length=50,
        help_text=_(
            "Data element: 1.a.1.1, 1.a.1.1.SEX, 2.b.1.3.NUM …; org unit: 53.03.08; combo: L, P, ANAK …; "
            "data set: the plan's code"
        ),
    )
    uid = models.CharField(
        _("DHIS2 uid"),
        max_length=11,
        validators=[
            RegexValidator(r"^[A-Za-z][A-Za-z0-9]{10}$", _("A DHIS2 uid: a letter, then 10 letters or digits."))
        ],
    )

    class Meta:
        app_label = "indicators"
        ordering = ["kind", "code"]
        verbose_name = _("DHIS2 mapping")
        verbose_name_plural = _("DHIS2 mappings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="dhis2_one_uid_per_code"),
            models.UniqueConstraint(fields=["kind", "uid"], name="dhis2_one_code_per_uid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code} → {self.uid}"


def uid_maps() -> dict[str, dict[str, str]]:
    """kind → {our code: uid}."""
    maps: dict[str, dict[str, str]] = {kind: {} for kind in Dhis2Mapping.Kind.values}
    for kind, code, uid in Dhis2Mapping.objects.values_list("kind", "code", "uid"):
        maps[kind][code] = uid
    return maps


class ImportReceipt(models.Model):
    """One confirmed spreadsheet import, by the token of its upload.

    The token is unique, so of two confirmations of one upload (a double click, two tabs) only the
    first inserts its receipt; the second finds it and is told the file was already imported. The
    receipt is written in the same transaction as the rows, so an import that saves nothing leaves none.
    """

    token = models.UUIDField(unique=True)
    file_name = models.CharField(_("file name"), max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    saved = models.PositiveIntegerField(_("entries saved"), default=0)
    plan = models.ForeignKey(
        "programs.Plan", models.CASCADE, null=True, blank=True, related_name="import_receipts", verbose_name=_("plan")
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("import receipt")
        verbose_name_plural = _("import receipts")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"
