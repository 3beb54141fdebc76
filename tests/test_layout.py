"""The shape of the code a newcomer relies on: no import runs in a circle, domain code never reaches for the
task queue, and no module grows past what one reads in a sitting."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ogp_tracker", "resolutions", "commitments", "partners", "demo")
MAX_LINES = 700
# Modules that are doors or wiring: they may enqueue. Everything else under commitments/ is domain code.
DOORS = ("commitments.tasks", "commitments.apps", "commitments.admin", "commitments.views", "commitments.api")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module this file imports, at any depth in the file (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    found.discard(module_name(path))
    return found


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    edges = {name: imports_of(path, modules) for name, path in modules.items()}
    for name in modules:  # importing a module imports its package first
        package = name.rpartition(".")[0]
        if package in modules and package != name:
            edges[name].add(package)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_runs_in_a_circle():
    # A package importing its own modules is how Python packages work; only longer circles are findings.
    edges = graph()
    for name in list(edges):
        edges[name] = {target for target in edges[name] if not name.startswith(target + ".")}
    assert cycles(edges) == []


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_domain_code_never_imports_the_task_queue():
    edges = graph()
    domain = [name for name in edges if name.startswith("commitments.") and not name.startswith(DOORS)]
    assert "commitments.followup" in domain and "commitments.scoring.runs" in domain
    offenders = {name: sorted(edges[name] & {"commitments.tasks", "ogp_tracker.celery"}) for name in domain}
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize("name", sorted(project_modules()))
def test_no_module_grows_past_what_one_reads_in_a_sitting(name):
    lines = len(project_modules()[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by subject"


def test_the_domain_never_imports_the_partner_app():
    """Partners hear about the domain through `commitments.events`; the domain does not know they exist."""
    edges = graph()
    offenders = {
        name: sorted(target for target in targets if target.startswith("partners"))
        for name, targets in edges.items()
        if name.startswith(("commitments", "resolutions"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}
