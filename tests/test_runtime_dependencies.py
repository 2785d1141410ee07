"""`make run` installs only the project's own dependencies (the test extras come with `make
test`), so every library the app imports must be one of them: a test-only library imported by
the app would pass every test and fail a newcomer's first `make run`."""

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _with_what_they_bring(names: set[str]) -> set[str]:
    """The distributions named, and everything they require in turn (not their extras)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            wanted = requires(name) or []
        except PackageNotFoundError:
            continue
        todo.extend(_name(r) for r in wanted if "extra ==" not in r)
    return seen


def test_every_library_the_app_imports_is_a_dependency_of_the_app():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _with_what_they_bring({_name(requirement) for requirement in project["dependencies"]})
    distributions = packages_distributions()
    missing = set()
    for path in (ROOT / "workshop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top == "workshop" or top in sys.stdlib_module_names:
                    continue
                names = {name.lower().replace("_", "-") for name in distributions.get(top, [top])}
                if not names & declared:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert sorted(missing) == [], "imported by the app but not in [project] dependencies"
