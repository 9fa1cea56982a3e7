"""A second regency with its own plan, for tests of many plans side by side."""

from indicators.plans.copying import copy_structure, new_plan_like
from programs.models import Plan, Region


def make_regency(code: str = "53.04", name: str = "Kabupaten Belu", kecamatan: int = 3) -> Region:
    """A regency (in its province, when that is loaded) with `kecamatan` kecamatan: 53.04.01 …"""
    province = Region.objects.filter(code=code.split(".")[0], level=Region.Level.PROVINSI).first()
    regency, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": Region.Level.KABUPATEN, "parent": province}
    )
    for n in range(1, kecamatan + 1):
        Region.objects.get_or_create(
            code=f"{code}.{n:02d}", defaults={"name": f"{name} {n}", "level": Region.Level.KECAMATAN, "parent": regency}
        )
    return regency


def make_plan(
    code: str = "rad-belu-2019-2023",
    *,
    region: Region | None = None,
    years: tuple[int, int] = (2019, 2023),
    status: str = Plan.Status.ACTIVE,
    like: Plan | None = None,
) -> Plan:
    """A plan of another regency (Belu unless told) with the structure of the embedded plan."""
    source = like or Plan.objects.get(code="rad-ttu-2018-2022")
    plan = new_plan_like(
        source,
        code=code,
        region=region or make_regency(),
        start_year=years[0],
        end_year=years[1],
        status=status,
        name_id=f"RAD {code}",
        name_en=f"RAD {code}",
    )
    copy_structure(source, plan)
    return plan


def record_computed_plans(monkeypatch) -> list[list[str]]:
    """The codes of the plans each `rollup.compute_many()` call computes from now on (the cache's misses)."""
    from indicators.figures import rollup

    computed: list[list[str]] = []
    batched = rollup.compute_many

    def spy(plans, filters=None, *, as_of):
        computed.append([plan.code for plan in plans])
        return batched(plans, filters, as_of=as_of)

    monkeypatch.setattr(rollup, "compute_many", spy)
    return computed
