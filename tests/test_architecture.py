"""The import graph of ``claims`` and ``checker`` flows one way (docs/architecture.md).

Built from the source, not by importing it: every ``import`` and ``from ... import`` anywhere in a
module counts, at module level, inside a function or under ``if TYPE_CHECKING``. The test fails
on an import cycle between modules, on a module importing a higher layer than its own, and on a
``from x import _name`` that takes another module's private name; each failure names the edge
(file, line, importer and imported module).
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

# Bottom to top. A module may import its own layer and any lower one, never a higher one. The
# first prefix that matches a module's name gives its layer ("checker" alone is the package's
# __init__, which holds the version and nothing else).
LAYERS: list[tuple[str, ...]] = [
    ("claims", "checker"),
    ("checker.engine",),
    ("checker.rules",),
    ("checker.pipeline",),
    ("checker.console",),
    ("checker.report",),
    ("checker.review", "checker.nightly"),
    ("checker.api", "checker.cli", "checker.__main__"),
]
PACKAGES = ("claims", "checker")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def layer(name: str) -> int:
    best = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    assert best is not None, f"{name} belongs to no layer: add it to LAYERS"
    return best[0]


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int, list[str]]]:
    """(imported module, line, names taken from it) for every import of ``claims``/``checker``
    code anywhere in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    out.append((alias.name, node.lineno, []))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] not in PACKAGES:
                continue
            taken = []
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:  # "from checker.rules import value_conflict": the submodule itself
                    out.append((sub, node.lineno, []))
                else:
                    taken.append(alias.name)
            if taken:
                out.append((base, node.lineno, taken))
    return out


def graph() -> tuple[dict[str, Path], dict[str, list[tuple[str, int, list[str]]]]]:
    known = modules()
    edges = {name: imports(name, path, known) for name, path in known.items()}
    return known, edges


def where(known: dict[str, Path], name: str, line: int) -> str:
    return f"{known[name].relative_to(ROOT)}:{line}"


def test_every_module_is_in_a_layer():
    known, edges = graph()
    for name in known:
        layer(name)
    for name, found in edges.items():
        for target, line, _ in found:
            assert target in known, f"{where(known, name, line)}: {name} imports {target}, which does not exist"


def test_no_module_imports_a_higher_layer():
    known, edges = graph()
    upward = [f"{where(known, name, line)}: {name} (layer {layer(name)}) imports {target} (layer {layer(target)})"
              for name, found in edges.items() for target, line, _ in found if layer(target) > layer(name)]
    assert not upward, "imports that run up the stack:\n" + "\n".join(upward)


def test_no_module_takes_another_modules_private_name():
    known, edges = graph()
    private = [f"{where(known, name, line)}: {name} imports {target}.{taken}"
               for name, found in edges.items() for target, line, names in found if target != name
               for taken in names if taken.startswith("_") and not (taken.startswith("__") and taken.endswith("__"))]
    assert not private, "private names taken from other modules:\n" + "\n".join(private)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or of one that imports
    itself (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
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
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(sorted(component))
    return found


def test_no_import_cycle():
    known, edges = graph()
    targets = {name: {t for t, _, _ in found if t != name or False} for name, found in edges.items()}
    loops = cycles(targets)
    lines = []
    for component in loops:
        members = set(component)
        lines.append(" <-> ".join(component))
        lines += [f"  {where(known, name, line)}: {name} imports {target}"
                  for name in component for target, line, _ in edges[name] if target in members]
    assert not loops, "import cycles:\n" + "\n".join(lines)


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# --- rule kinds read the story through the context's views ----------------------------------------

VIEW_METHODS = {  # READS -> the StoryContext methods that give that view
    "claims": {"claims_of"},
    "facts": {"facts", "all_facts", "source_groups", "story_model"},
    "quote_pieces": {"quote_pieces"},
    "quote_families": {"quote_families"},
    "sentences": {"article_ids", "sentences", "verbatim", "sentence_evidence"},
    "places": {"places_in"},
    "article_text": {"name_key_text", "articles_naming"},
}
RAW_FIELDS = {"docs", "claims", "entities"}  # what the views are built from: no kind reads them itself


def context_uses(path: Path) -> set[str]:
    """The attributes of ``ctx`` a module uses (``ctx.claims_of(...)`` -> "claims_of")."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ctx"}


def test_rule_kinds_read_the_story_through_the_views_they_declare():
    from checker.engine.context import READS, StoryContext
    from checker.rules import KINDS

    assert set(VIEW_METHODS) == set(READS)
    assert all(callable(getattr(StoryContext, m)) for methods in VIEW_METHODS.values() for m in methods)
    known, edges = graph()
    view_methods = set().union(*VIEW_METHODS.values())
    for kind, module in KINDS.items():
        # the kind's module and the shared rule modules it imports (quotes/common.py, negation.py)
        names = [module.__name__] + [t for t, _, _ in edges[module.__name__]
                                     if t.startswith("checker.rules.") and t not in {m.__name__ for m in KINDS.values()}]
        used = set().union(*(context_uses(known[name]) for name in names))
        assert not used & RAW_FIELDS, (kind, sorted(used & RAW_FIELDS))
        declared = set(module.READS)
        assert declared <= set(READS), (kind, declared - set(READS))
        read = {view for view, methods in VIEW_METHODS.items() if used & methods}
        assert read == declared, f"{kind} declares READS {sorted(declared)} but reads {sorted(read)}"
        assert used & view_methods, kind
