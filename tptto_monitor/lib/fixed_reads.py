"""Reads that every page makes, their SQL built once: building a query in the ORM costs more than sending it.

Measured on PostgreSQL in the process: a page's plan with its regency, `select_related("region").get(code=…)`,
took 0.37 ms, the same SQL sent as it is 0.09 ms; the active plans of a province with their regency and province,
0.78 ms against 0.16 ms. The values go through the converters the ORM applies (a date, a time, a boolean on
SQLite), so that the instances are the ORM's own, their `select_related` parents cached on them.

- `one_with_parent`: one row by a unique field, and its parent: SQL built once from the models' own tables and
  columns.
- `instances`: a `select_related` queryset's instances, its SQL compiled by the ORM once per key (in each thread,
  the last KEPT keys), then sent as it is.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models.query import get_related_populators

KEPT = 256  # compiled queries kept per thread: a key may come from an address (a province's code)
_compiled = threading.local()  # a compiler is bound to its thread's connection


def one_with_parent(model, field: str, value, parent: str):
    """The instance of `model` whose `field` is `value` (a unique field), its foreign key `parent` read with it;
    None when there is none. Read from the database the router gives for reading `model`."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    read = _read(model, field, parent, alias)
    with connection.cursor() as cursor:
        cursor.execute(read.sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [_converted(connection, column, value) for column, value in zip(read.columns, row, strict=True)]
    obj = model.from_db(alias, read.names, values[: len(read.names)])
    related = None
    if values[read.parent_pk] is not None:  # the join found the parent (a nullable key may name none)
        related = read.parent.related_model.from_db(alias, read.parent_names, values[len(read.names) :])
    read.parent.set_cached_value(obj, related)  # as select_related leaves it
    return obj


@dataclass(frozen=True)
class _Read:
    sql: str
    columns: list  # the columns read, as the ORM's expressions (for their converters)
    names: list[str]  # the model's attributes, in the order read
    parent: object  # the foreign key
    parent_names: list[str]
    parent_pk: int  # where the parent's primary key is in the row


@functools.cache
def _read(model, field: str, parent: str, alias: str) -> _Read:
    """The SQL and what it reads, built once per model, field, parent and database."""
    quote = connections[alias].ops.quote_name
    key = model._meta.get_field(parent)
    related = key.related_model
    fields, parent_fields = list(model._meta.concrete_fields), list(related._meta.concrete_fields)
    selected = [f"t.{quote(f.column)}" for f in fields] + [f"p.{quote(f.column)}" for f in parent_fields]
    # no value is formatted in: only the models' own table and column names
    sql = (
        f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} t "  # noqa: S608
        f"LEFT JOIN {quote(related._meta.db_table)} p ON p.{quote(related._meta.pk.column)} = t.{quote(key.column)} "
        f"WHERE t.{quote(model._meta.get_field(field).column)} = %s"
    )
    return _Read(
        sql=sql,
        columns=[f.get_col(f.model._meta.db_table) for f in fields + parent_fields],
        names=[f.attname for f in fields],
        parent=key,
        parent_names=[f.attname for f in parent_fields],
        parent_pk=len(fields) + [f.primary_key for f in parent_fields].index(True),
    )


def _converted(connection, column, value):
    """The value as the ORM gives it: the database backend's converters, then the field's own."""
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


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
