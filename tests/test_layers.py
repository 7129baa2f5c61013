"""Dependencies point down (DESIGN.md, "Architecture"): every import of every module of Baro,
read from its source, goes to its own layer or one below.

    core ← ledger ← org ← workdays ← notify ← work ← cascade ← oversight ← entry points

The ledger knows no domain, the registry knows nothing of tasks, work does not know it is
watched; the page shell, the API root, the CLI, the worker and the demo sit on top. Imports
inside functions and under TYPE_CHECKING count like any other. Test code (tests/ packages and
the baro.testing plugin) may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "baro"

# Bottom to top; a module may import its own layer and those before it.
LAYERS: list[tuple[str, ...]] = [
    ("baro.core", "baro.env"),
    ("baro.ledger",),
    ("baro.org",),
    ("baro.workdays",),
    ("baro.notify",),
    ("baro.work",),
    ("baro.cascade",),
    ("baro.oversight",),
    # The entry layer: page shell, API root, URLs, CLI, worker, demo, set-up, settings.
    (
        "baro.web",
        "baro.demo",
        "baro.api",
        "baro.urls",
        "baro.cli",
        "baro.worker",
        "baro.setup",
        "baro.settings",
        "baro.wsgi",
        "baro.__main__",
        "baro",
    ),
]


def layer_of(module: str) -> int:
    """The layer of a dotted module name: its longest matching prefix in LAYERS."""
    best, best_length = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    if best < 0:
        raise ValueError(f"{module} is in no layer of tests/test_layers.py")
    return best


def is_test_code(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return "tests" in parts or parts[0] == "testing"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, imported module) for every import of a Baro module in the file (or in `source`,
    read as if it were that file)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    text = path.read_text(encoding="utf-8") if source is None else source
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from baro.x import y` may name a module y: judge it by the deeper name too.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return [(line, target) for line, target in found if target.split(".")[0] == "baro"]


def importable(target: str) -> str:
    """The longest prefix of `target` that is a module or package of Baro."""
    parts = target.split(".")
    while parts:
        candidate = ROOT.joinpath(*parts)
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return target


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if is_test_code(path):
            continue
        source = module_name(path)
        own = layer_of(source)
        for line, target in imports_of(path):
            target = importable(target)
            if layer_of(target) > own:
                found.append(f"{path.relative_to(ROOT)}:{line}: {source} imports {target}")
    return found


def test_every_import_points_down_or_sideways() -> None:
    problems = violations()
    assert not problems, "Imports against DESIGN.md's direction:\n" + "\n".join(problems)


def test_the_check_sees_an_import_that_points_up() -> None:
    # An upward import is seen at the top of a module, inside a function, relative, or as a
    # module named by `from baro import …`.
    upward = [
        ("baro/work/x.py", "from baro.oversight import services\n"),
        ("baro/work/x.py", "def f():\n    import baro.cascade.queries\n"),
        ("baro/ledger/x.py", "from baro.org.models import Person\n"),
        ("baro/org/x.py", "from ..work import models\n"),
        ("baro/core/x.py", "from baro import web\n"),
    ]
    for relative, source in upward:
        path = ROOT / relative
        found = imports_of(path, source)
        assert any(layer_of(importable(t)) > layer_of(module_name(path)) for _, t in found), source
    sideways = imports_of(ROOT / "baro/work/x.py", "from baro.org import authority\n")
    assert all(layer_of(importable(t)) <= layer_of("baro.work") for _, t in sideways)


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("baro.core.sql", "baro.core"),
        ("baro.ledger.verify.core", "baro.ledger"),
        ("baro.work.services", "baro.work"),
        ("baro.worker", "baro.worker"),
        ("baro.web.ledger_views", "baro.web"),
    ],
)
def test_layers_are_read_by_the_longest_prefix(module: str, layer: str) -> None:
    assert layer_of(module) == layer_of(layer)
    assert layer_of("baro.core") < layer_of("baro.ledger") < layer_of("baro.org")
    assert layer_of("baro.work") < layer_of("baro.cascade") < layer_of("baro.oversight")
    assert layer_of("baro.oversight") < layer_of("baro.web") == layer_of("baro.worker")
