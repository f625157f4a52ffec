"""The import graph of a package, and the two checks the architecture test makes of it.

Pure (no Flask, no app): it reads the source with `ast`, so it sees every import, at module level
and inside functions alike — a lazy import that runs the wrong way is still the wrong way, and an
import circle that only closes when a function runs is still a circle. Only the imports under
`if TYPE_CHECKING:` are left out: they never run (the models name their relationships' targets
there for the type checker; SQLAlchemy finds them by name). tests/test_architecture.py
runs it on `app/`, and on small fake packages to show that it catches what it should.

- `read_imports(root, package)`: every `import`/`from … import` (and `importlib.import_module("…")`
  with a literal name) in the package, each resolved to the module it loads.
- `circles(imports)`: the groups of modules that import each other, directly or round a loop.
- `wrong_way(imports, layers, allowed)`: the imports that run against a table of allowed
  dependencies, that reach into another package's views, or that reach outside the package into
  code that sits on top of it (`seed`, `tests`, `bench`).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

#: Top-level names of this repository that sit on top of `app` and that `app` must never import.
ABOVE_APP = frozenset({"seed", "tests", "bench", "migrations", "scripts"})


@dataclass(frozen=True, order=True)
class Import:
    """One import statement: `source` (a module of the package) loads `target` at `line`."""

    source: str
    target: str
    line: int
    lazy: bool  # inside a function or method: runs when that code runs, not on import

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} (line {self.line}{', inside a function' if self.lazy else ''})"


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` (a folder under `root`) by dotted name; a package is its __init__."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` — code for type checkers that never runs (and so imports nothing)."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, in_function: bool = False) -> Iterable[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if _type_checking_only(child):
            for other in child.orelse:  # the else branch does run
                yield other, in_function
                yield from _walk(other, in_function)
            continue
        yield child, in_function
        nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from _walk(child, nested)


def _literal_import_module(node: ast.AST) -> str | None:
    """The name in `importlib.import_module("a.b")` / `import_module("a.b")`, when it is a literal."""
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    value = node.args[0].value
    return value if name == "import_module" and isinstance(value, str) and not value.startswith(".") else None


def read_imports(root: Path, package: str, others: Iterable[str] = ()) -> list[Import]:
    """Every import made by a module of `package`, resolved to the module it loads.

    `from a.b import c` loads the module `a.b.c` when there is one, else the module `a.b` (c is a
    name defined in it). Of the imports of other top-level packages, those of `others` (resolved
    the same way) and of `ABOVE_APP` are kept (so `seed.load` is seen); the standard library and
    installed packages are left out."""
    others = tuple(others)
    scanned = module_files(root, package)
    files = dict(scanned)
    for other in others:
        files.update(module_files(root, other))
    found: set[Import] = set()
    for module, path in scanned.items():
        is_package = path.name == "__init__.py"
        here = module.split(".") if is_package else module.split(".")[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, lazy in _walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - (node.level - 1)]
                    start = ".".join(base + ([node.module] if node.module else []))
                else:
                    start = node.module or ""
                for alias in node.names:
                    sub = f"{start}.{alias.name}"
                    targets.append(sub if sub in files else start)
            else:
                literal = _literal_import_module(node)
                if literal:
                    targets = [literal]
            for target in targets:
                top = target.split(".")[0]
                if target == module:
                    continue
                if top == package or top in others or top in ABOVE_APP:
                    found.add(Import(module, _known(target, files), node.lineno, lazy))
    return sorted(found)


def _known(target: str, files: Mapping[str, Path]) -> str:
    """The longest prefix of `target` that is a module of the package (`import a.b.c` loads a.b.c)."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in files:
            return name
    return target


def circles(imports: Iterable[Import]) -> list[list[str]]:
    """The import circles: each a sorted list of the modules that reach each other through their
    imports (strongly connected components of more than one module), largest first."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        graph.setdefault(imp.source, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        # Tarjan's algorithm, iteratively (no recursion limit on a deep graph).
        work: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return sorted(found, key=lambda g: (-len(g), g))


def layer_of(module: str, layers: Mapping[str, str]) -> str | None:
    """The layer a module belongs to: the entry of `layers` that names it most closely. A key
    `x` names the module x alone; a key `x.*` names x and everything below it."""
    best: tuple[int, str] | None = None
    for key, layer in layers.items():
        if key.endswith(".*"):
            stem = key[:-2]
            hit = module == stem or module.startswith(stem + ".")
        else:
            stem = key
            hit = module == key
        if hit and (best is None or len(stem) > best[0] or (len(stem) == best[0] and not key.endswith(".*"))):
            best = (len(stem), layer)
    return best[1] if best else None


def _domain(module: str) -> str:
    """`app.competitions.bidding.views` → `app.competitions`: the top package under the root."""
    return ".".join(module.split(".")[:2])


def is_views(module: str) -> bool:
    """Whether a module holds pages: a `views` module or package, at any depth."""
    return "views" in module.split(".")[2:] or module.split(".")[-1].endswith("_views")


@dataclass(frozen=True, order=True)
class Violation:
    imp: Import
    reason: str

    def __str__(self) -> str:
        return f"{self.imp}: {self.reason}"


def wrong_way(imports: Iterable[Import], layers: Mapping[str, str], allowed: Mapping[str, Iterable[str]],
              registers_blueprints: Iterable[str] = ()) -> list[Violation]:
    """The imports that break the table.

    - Every module of the package must have a layer (`layers`); an import may go to a module of
      its own layer or of a layer its layer lists in `allowed`.
    - No module reaches into another top package's views (pages are entered by URL, not by import),
      except the modules in `registers_blueprints` (the app factory).
    - Nothing imports the code that sits on top of the package (`ABOVE_APP`)."""
    registers = set(registers_blueprints)
    found: list[Violation] = []
    for imp in imports:
        top = imp.target.split(".")[0]
        if top in ABOVE_APP:
            found.append(Violation(imp, f"`{top}` sits on top of the app and is never imported by it"))
            continue
        source_layer, target_layer = layer_of(imp.source, layers), layer_of(imp.target, layers)
        if source_layer is None or target_layer is None:
            missing = imp.source if source_layer is None else imp.target
            found.append(Violation(imp, f"{missing} has no layer in the table"))
            continue
        if target_layer != source_layer and target_layer not in set(allowed.get(source_layer, ())):
            found.append(Violation(imp, f"{source_layer} may not import {target_layer}"))
            continue
        if is_views(imp.target) and _domain(imp.target) != _domain(imp.source) and imp.source not in registers:
            found.append(Violation(imp, "reaches into another package's views"))
    return sorted(found)
