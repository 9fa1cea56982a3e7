"""Reads that every page makes, their SQL compiled once: building a query in the ORM costs more than sending it.

Measured on PostgreSQL in the process: a page's plan with its regency, `select_related("region").get(code=…)`,
took 0.40 ms, compiled once 0.16 ms; the active plans of a province with their regency and province, 0.78 ms
against 0.16 ms. `instances` keeps the ORM's own compiler for a key (in each thread, the last KEPT keys): the
values go through its converters (a date, a time, a boolean on SQLite) and its `select_related` populators, so
that the instances are the ORM's own, their parents cached on them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models.query import get_related_populators

KEPT = 1024  # compiled queries kept per thread (a few KB each): every plan's page (514 in the country) and province,
# with room; bounded, as a key may come from an address
_compiled = threading.local()  # a compiler is bound to its thread's connection


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    compiler: object  # the ORM's, after compiling: its columns, converters and select_related layout
    names: list[str]
    start: int
    end: int
    populators: list


def instances(model, key: Hashable, build: Callable) -> list:
    """The instances of the queryset `build()` returns (of `model`, with its `select_related`; no annotation, no
    prefetch, no `values`), its SQL compiled once for `key`: the same key must always build the same query."""
    alias = router.db_for_read(model)
    kept = _compiled.__dict__.setdefault("queries", OrderedDict())
    query = kept.get((alias, key))
    if query is None:
        query = _compile(build().using(alias), alias)
        kept[(alias, key)] = query
        if len(kept) > KEPT:
            kept.popitem(last=False)
    else:
        kept.move_to_end((alias, key))
    with connections[alias].cursor() as cursor:
        cursor.execute(query.sql, query.params)
        rows = cursor.fetchall()
    if query.compiler.has_extra_select:  # columns selected for the ordering only, as the ORM leaves them out
        rows = [row[: query.compiler.col_count] for row in rows]
    found = []
    for row in query.compiler.results_iter(results=[rows]):  # the ORM's converters
        obj = model.from_db(alias, query.names, row[query.start : query.end])
        for populator in query.populators:
            populator.populate(row, obj)
        found.append(obj)
    return found


def _compile(queryset, alias: str) -> _Compiled:
    """The queryset compiled as ModelIterable compiles it, kept to be sent again."""
    query = queryset.query
    if query.annotations or queryset._prefetch_related_lookups or queryset._iterable_class.__name__ != "ModelIterable":
        raise ValueError("instances() reads a model's rows and their select_related parents only")
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    select, klass_info = compiler.select, compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return _Compiled(
        sql=sql,
        params=tuple(params),
        compiler=compiler,
        names=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        populators=get_related_populators(klass_info, select, alias),
    )
