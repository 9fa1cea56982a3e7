"""The house's shape (docs/architecture.md): no import cycle among the project's own modules, and no loose
module at the top of the indicators and reports apps. The arrows between rooms are `lint-imports`'s
contracts (.importlinter), run by `make lint` and CI."""

import pathlib

import grimp
import pytest
from django.conf import settings

APPS = ("programs", "indicators", "reports", "tptto_monitor")
# Django's own conventions, and the app's wiring; everything else lives in a room whose name says what it holds
TOP_LEVEL = {"__init__.py", "apps.py", "urls.py", "forms.py", "signals.py", "middleware.py"}


def own(module: str) -> bool:
    return ".tests" not in module and ".migrations" not in module


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other round in a circle."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


@pytest.fixture(scope="module")
def import_graph():
    import sys

    root = str(settings.BASE_DIR)
    if root not in sys.path:  # grimp finds the packages on the path
        sys.path.insert(0, root)
    return grimp.build_graph(*APPS, exclude_type_checking_imports=True)


def test_no_import_cycle_among_the_projects_modules(import_graph):
    """Counting imports inside functions too: a cycle hidden in a function is still a cycle."""
    modules = {m for m in import_graph.modules if own(m)}
    graph = {m: {i for i in import_graph.find_modules_directly_imported_by(m) if i in modules} for m in modules}
    assert strongly_connected(graph) == []


@pytest.mark.parametrize("app", ["indicators", "reports"])
def test_no_loose_module_at_the_top_of_an_app(app):
    top = {p.name for p in (pathlib.Path(settings.BASE_DIR) / app).glob("*.py")}
    assert top - TOP_LEVEL == set()
