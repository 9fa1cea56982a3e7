"""An evaluator of IATI-Rulesets files (docs/standards/iati-2.03/rulesets/standard.json), after the
ruleset's own specification (IATI/IATI-Rulesets, SPEC_JS.rst, branch version-2.03).

A ruleset maps a context (an XPath selecting elements) to named rules, each with cases; a case
whose `condition` XPath is false is skipped. Every rule name of the specification is implemented
and an unknown name is an error, so a ruleset that gains a rule cannot pass unread.

Where the official validator consults the IATI Registry (`idCondition`: "NOT an existing
publisher's identifier") this evaluator cannot, so it applies the case always: stricter, never
looser. The list of approved identifier prefixes ("ORG-ID-PREFIX") is the IATI codelist
OrganisationRegistrationAgency, copied beside the ruleset.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

STANDARD = Path(__file__).resolve().parents[2] / "docs" / "standards" / "iati-2.03"
NAMESPACES = {"xml": "http://www.w3.org/XML/1998/namespace"}
# one_or_all's "all": which elements must each carry the thing when the activity does not declare it
ALL_OF = {
    "lang": (".//narrative", "@xml:lang"),
    "currency": (".//value | .//budget-line/value | .//loan-status", "@currency"),
    "sector": ("transaction", "sector"),
}


@dataclass(frozen=True)
class Failure:
    rule_id: str
    severity: str
    rule: str
    message: str
    where: str

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.severity}, {self.rule}) at {self.where}: {self.message}"


def org_id_prefixes() -> list[str]:
    codelist = etree.parse(str(STANDARD / "codelists" / "OrganisationRegistrationAgency.xml"))
    return codelist.xpath("//codelist-item/code/text()")


def _xpath(node, expression: str):
    return node.xpath(expression, namespaces=NAMESPACES)


def _truth(value) -> bool:
    """XPath 1.0's boolean(): a node-set is true when not empty, a number when not 0 or NaN."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, float):
        return value == value and value != 0
    return bool(value)


def _texts(node, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        for match in _xpath(node, path):
            found.append(match if isinstance(match, str) else (match.text or ""))
    return found


def _count(node, paths: list[str]) -> int:
    return sum(len(_xpath(node, path)) for path in paths)


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _dates(node, path: str, now: datetime.datetime) -> list[datetime.date]:
    if path == "NOW":
        return [now.date()]
    return [d for d in (_date(t) for t in _texts(node, [path])) if d is not None]


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None


class Evaluator:
    def __init__(self, ruleset: dict, now: datetime.datetime, prefixes: list[str] | None = None):
        self.ruleset = ruleset
        self.now = now
        self.prefixes = org_id_prefixes() if prefixes is None else prefixes

    def failures(self, document) -> list[Failure]:
        failures: list[Failure] = []
        for context, rules in self.ruleset.items():
            for node in document.xpath(context, namespaces=NAMESPACES):
                for rule, body in rules.items():
                    for case in body["cases"]:
                        failures.extend(self._case(node, rule, case))
        return failures

    def _case(self, node, rule: str, case: dict) -> list[Failure]:
        if "condition" in case and not _truth(_xpath(node, case["condition"])):
            return []
        if rule == "loop":
            return self._loop(node, case)
        check = getattr(self, f"_{rule}", None)
        if check is None:
            raise NotImplementedError(f"rule {rule!r} is not implemented by this evaluator")
        ok = check(node, case)
        if ok:
            return []
        info = case["ruleInfo"]
        where = node.getroottree().getpath(node)
        return [Failure(info["id"], info["severity"], rule, info["message"], where)]

    def _loop(self, node, case: dict) -> list[Failure]:
        failures = []
        for value in dict.fromkeys(_texts(node, [case["foreach"]])):
            for rule, body in case["do"].items():
                for inner in body["cases"]:
                    substituted = dict(inner)
                    for key in case["subs"]:
                        if key in substituted:
                            old = substituted[key]
                            is_list = isinstance(old, list)
                            substituted[key] = (
                                [p.replace("$1", value) for p in old] if is_list else old.replace("$1", value)
                            )
                    failures.extend(self._case(node, rule, substituted))
        return failures

    # --- the rules of SPEC_JS.rst, one method each: True when the case passes -------------------

    def _atleast_one(self, node, case) -> bool:
        return _count(node, case["paths"]) >= 1

    def _no_more_than_one(self, node, case) -> bool:
        return _count(node, case["paths"]) <= 1

    def _only_one_of(self, node, case) -> bool:
        if _count(node, case["excluded"]):
            return _count(node, case["paths"]) == 0
        return _count(node, case["paths"]) == 1

    def _dependent(self, node, case) -> bool:
        present = [bool(_xpath(node, path)) for path in case["paths"]]
        return all(present) or not any(present)

    def _one_or_all(self, node, case) -> bool:
        if _xpath(node, case["one"]):
            return True
        elements, required = ALL_OF[case["all"]]
        return all(_xpath(element, required) for element in _xpath(node, elements))

    def _sum(self, node, case) -> bool:
        values = [_decimal(t) for t in _texts(node, case["paths"])]
        if not values:
            return True
        return None not in values and float(sum(values)) == float(case["sum"])

    def _strict_sum(self, node, case) -> bool:
        values = [_decimal(t) for t in _texts(node, case["paths"])]
        return None not in values and sum(values, Decimal(0)) == Decimal(str(case["sum"]))

    def _range(self, node, case) -> bool:
        values = [_decimal(t) for t in _texts(node, case["paths"])]
        return all(v is not None and case["min"] <= v <= case["max"] for v in values)

    def _date_order(self, node, case) -> bool:
        less, more = _dates(node, case["less"], self.now), _dates(node, case["more"], self.now)
        return all(a <= b for a in less for b in more)  # a missing date: the rule does not apply

    def _date_now(self, node, case) -> bool:
        stamps = _texts(node, [case["date"]])
        for stamp in stamps:
            moment = datetime.datetime.fromisoformat(stamp)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=self.now.tzinfo)
            if moment > self.now:
                return False
        return True

    def _time_limit(self, node, case) -> bool:
        starts, ends = _dates(node, case["start"], self.now), _dates(node, case["end"], self.now)
        return all((end - start).days <= 366 for start in starts for end in ends)

    def _between_dates(self, node, case) -> bool:
        dates = _dates(node, case["date"], self.now)
        starts, ends = _dates(node, case["start"], self.now), _dates(node, case["end"], self.now)
        return all(s <= d <= e for d in dates for s in starts for e in ends)

    def _regex_matches(self, node, case) -> bool:
        return all(re.search(case["regex"], text) for text in _texts(node, case["paths"]))

    def _regex_no_matches(self, node, case) -> bool:
        return not any(re.search(case["regex"], text) for text in _texts(node, case["paths"]))

    def _startswith(self, node, case) -> bool:
        prefixes = self.prefixes if case["prefix"] == ["ORG-ID-PREFIX"] else _texts(node, case["prefix"])
        separator = case.get("separator", "")
        return all(any(text.startswith(p + separator) for p in prefixes) for text in _texts(node, case["paths"]))

    def _unique(self, node, case) -> bool:
        texts = _texts(node, case["paths"])
        return len(texts) == len(set(texts))

    def _if_then(self, node, case) -> bool:
        return not _truth(_xpath(node, case["if"])) or _truth(_xpath(node, case["then"]))

    def _no_spaces(self, node, case) -> bool:
        return all(text == text.strip() for text in _texts(node, case["paths"]))
