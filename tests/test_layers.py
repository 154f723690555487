"""Imports go one way (docs/architecture.md):

    cases  <-  recommendations  <-  reminders  <-  front        (boardsite wires them all)

A module may import its own app and the apps to its left, never one to its right. On
top of that: no first-party import inside a function (the usual way to hide a cycle);
`recommendations/engine/` imports no Django, DRF, Celery or Django app at all, ours
included; product code never imports test code; and the pages (`front/`) never touch a
model manager — they call the apps' services and selectors.

The check reads the source with `ast`, so it sees every import, also the ones a test
run never executes. Not checked, on purpose:
- tests (`*/tests/`, `tests/`, `conftest.py`): they exercise the whole house (a cases
  test may sign a decision and look at the reminders it scheduled) and nothing imports
  them (the fourth rule below);
- migrations: Django writes them and runs them against the historical models
  (`apps.get_model`), so what they import is frozen history, not the design;
- bench/ and manage.py: scripts that configure Django before they may import an app, so
  their imports have to sit inside functions; nothing imports them either.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]

#: Bottom to top. A new app is placed here (the test below refuses an unplaced one).
LAYERS = ("cases", "recommendations", "reminders", "front")
#: The Django project: settings, URLs and the Celery app import every app.
PROJECT = "boardsite"
FIRST_PARTY = (*LAYERS, PROJECT)
ENGINE = "recommendations.engine"
#: Neither the engine nor anything it imports may need Django to be set up.
ENGINE_FORBIDDEN = {"django", "rest_framework", "celery", "kombu"} | {
    app.split(".")[0] for app in settings.INSTALLED_APPS
}

#: Exceptions, each with its reason. An entry nothing needs any more fails the last
#: test, so the list can only shrink.
LAYER_EXCEPTIONS: dict[tuple[str, str], str] = {}
FUNCTION_LEVEL_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("cases.apps", "cases.dbroles"): (
        "the post-migrate grant handler: an app's models cannot be imported while its "
        "AppConfig module loads, before the app registry is ready"),
}
ENGINE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("recommendations.engine.io", "cases.plausibility"): (
        "the one plausibility table the record's validation and the engine's input gate "
        "share; cases sits below the engine, and the module is standard-library only "
        "(test_the_shared_plausibility_table_needs_no_django)"),
    ("recommendations.engine.context", "cases.plausibility"): (
        "the same table: an implausible latest result is named in the missing-data request "
        "and nothing is computed from it (context._lab_status)"),
}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name of the file
    target: str  # the module named by the statement, relative imports resolved
    line: int
    in_function: bool


@dataclass(frozen=True)
class Manager:
    module: str
    line: int
    expression: str  # e.g. "Patient.objects"


def _resolve(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def scan(source: str, module: str, *, is_package: bool = False
         ) -> tuple[list[Import], list[Manager]]:
    """Every import of a module's source (with whether it sits in a function) and
    every `<Name>.objects` it touches."""
    imports: list[Import] = []
    managers: list[Manager] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                imports.extend(Import(module, alias.name, child.lineno, in_function)
                               for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(module, is_package, child.module, child.level)
                imports.append(Import(module, target, child.lineno, in_function))
            elif isinstance(child, ast.Attribute) and child.attr == "objects":
                managers.append(Manager(module, child.lineno, ast.unparse(child)))
            visit(child, in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(source), False)
    return imports, managers


def _top(name: str) -> str:
    return name.split(".")[0]


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _rank(name: str) -> int:
    top = _top(name)
    return len(LAYERS) if top == PROJECT else LAYERS.index(top)


def _is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in ("tests", "bench", "conftest") or "tests" in parts[1:]


def violations(imports: list[Import], managers: list[Manager] = ()) -> list[str]:
    """What breaks the rules, one readable line each (exceptions not yet applied)."""
    found = []
    for imp in imports:
        where = f"{imp.importer}:{imp.line}"
        if _top(imp.target) in FIRST_PARTY and _rank(imp.target) > _rank(imp.importer):
            found.append(f"{where} imports {imp.target}, a higher layer")
        if imp.in_function and _top(imp.target) in FIRST_PARTY:
            found.append(f"{where} imports {imp.target} inside a function")
        if _within(imp.importer, ENGINE) and not _within(imp.target, ENGINE) and (
                _top(imp.target) in FIRST_PARTY or _top(imp.target) in ENGINE_FORBIDDEN):
            found.append(f"{where} imports {imp.target} into the pure engine")
        if _is_test_module(imp.target):
            found.append(f"{where} imports test code ({imp.target})")
    for manager in managers:
        if _top(manager.module) == "front":
            found.append(f"{manager.module}:{manager.line} uses {manager.expression}; "
                         "the pages call selectors and services")
    return found


def _excused(line: str, imp: Import) -> tuple[str, tuple[str, str]] | None:
    key = (imp.importer, imp.target)
    if line.endswith("inside a function") and key in FUNCTION_LEVEL_EXCEPTIONS:
        return "function-level", key
    if line.endswith("a higher layer") and key in LAYER_EXCEPTIONS:
        return "layer", key
    if line.endswith("into the pure engine") and key in ENGINE_EXCEPTIONS:
        return "engine", key
    return None


def project_sources() -> list[tuple[str, Path]]:
    sources = []
    for top in FIRST_PARTY:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
                continue
            name = ".".join(parts)[: -len(".py")].removesuffix(".__init__")
            sources.append((name, path))
    return sources


def project_report() -> tuple[list[str], set[tuple[str, tuple[str, str]]]]:
    """The violations of the tree that no exception covers, and the exceptions used."""
    left, used = [], set()
    for name, path in project_sources():
        imports, managers = scan(path.read_text(encoding="utf-8"), name,
                                 is_package=path.name == "__init__.py")
        for imp in imports:
            for line in violations([imp]):
                excuse = _excused(line, imp)
                if excuse is None:
                    left.append(line)
                else:
                    used.add(excuse)
        left.extend(violations([], managers))
    return left, used


# --- The checker catches what it should ---------------------------------------------------

def test_a_lower_layer_importing_a_higher_one_is_caught():
    source = "from front.views import agenda\nimport reminders.services\n"
    imports, _ = scan(source, "cases.services")
    assert violations(imports) == [
        "cases.services:1 imports front.views, a higher layer",
        "cases.services:2 imports reminders.services, a higher layer",
    ]


def test_a_function_level_import_is_caught_even_within_one_app():
    source = (
        "from cases.choices import BoardRole\n"
        "def check(user):\n"
        "    from cases.scoping import membership\n"
        "    return membership\n"
        "key = lambda row: __import__('os')\n"
    )
    imports, _ = scan(source, "cases.rules")
    assert violations(imports) == ["cases.rules:3 imports cases.scoping inside a function"]


def test_the_engine_may_not_import_django_or_any_app():
    source = (
        "from dataclasses import dataclass\n"
        "from pydantic import BaseModel\n"
        "from django.utils import timezone\n"
        "import celery\n"
        "from recommendations.models import DraftPlan\n"
        "from cases.choices import Sex\n"
        "from rules import predicate\n"
        "from recommendations.engine.facts import CaseFacts\n"
        "from ..facts import Lesion\n"
    )
    imports, _ = scan(source, "recommendations.engine.rules.example")
    assert violations(imports) == [
        "recommendations.engine.rules.example:3 imports django.utils into the pure engine",
        "recommendations.engine.rules.example:4 imports celery into the pure engine",
        "recommendations.engine.rules.example:5 imports recommendations.models into the "
        "pure engine",
        "recommendations.engine.rules.example:6 imports cases.choices into the pure engine",
        "recommendations.engine.rules.example:7 imports rules into the pure engine",
    ]


def test_relative_imports_are_resolved_before_the_check():
    imports, _ = scan("from ..views import agenda\nfrom . import views\n", "cases.api.views")
    assert [i.target for i in imports] == ["cases.views", "cases.api"]
    imports, _ = scan("from .models import Lesion\n", "recommendations", is_package=True)
    assert [i.target for i in imports] == ["recommendations.models"]
    imports, _ = scan("from ...front import urls\n", "cases.api.views")
    assert violations(imports) == ["cases.api.views:1 imports front, a higher layer"]


def test_product_code_importing_test_code_is_caught():
    source = "from cases.tests.factories import PatientFactory\nimport bench.pages\n"
    imports, _ = scan(source, "cases.demo.builders")
    assert violations(imports) == [
        "cases.demo.builders:1 imports test code (cases.tests.factories)",
        "cases.demo.builders:2 imports test code (bench.pages)",
    ]


def test_a_page_touching_a_model_manager_is_caught():
    source = ("from cases.models import Patient\n"
              "def audit_index(request):\n"
              "    return Patient.objects.filter(pk=1).first()\n")
    imports, managers = scan(source, "front.views.audit")
    assert violations(imports, managers) == [
        "front.views.audit:3 uses Patient.objects; the pages call selectors and services",
    ]
    # Lower apps read their own tables, through their selectors and services.
    imports, managers = scan(source, "cases.selectors")
    assert violations(imports, managers) == []


def test_the_project_may_import_every_app_and_apps_may_not_import_it():
    imports, _ = scan("from front.views import agenda\n", "boardsite.urls")
    assert violations(imports) == []
    imports, _ = scan("from boardsite.views import home\n", "front.views.agenda")
    assert violations(imports) == ["front.views.agenda:1 imports boardsite.views, a higher layer"]


# --- The tree obeys --------------------------------------------------------------------

def test_every_first_party_app_has_a_place_in_the_layers():
    apps = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    assert apps == set(LAYERS)


def test_the_sources_checked_include_every_layer_and_the_engine():
    names = {name for name, _ in project_sources()}
    assert {"cases.services", "recommendations.services", "recommendations.engine.engine",
            "reminders.services", "front.views.agenda", "boardsite.urls"} <= names
    assert not any(".tests" in name or ".migrations" in name for name in names)


def test_imports_go_one_way_only():
    left, _ = project_report()
    assert left == []


@pytest.mark.parametrize(("kind", "exceptions"), [
    ("layer", LAYER_EXCEPTIONS), ("function-level", FUNCTION_LEVEL_EXCEPTIONS),
    ("engine", ENGINE_EXCEPTIONS),
])
def test_every_exception_is_still_needed(kind, exceptions):
    _, used = project_report()
    assert sorted(key for key in exceptions if (kind, key) not in used) == []


def test_the_shared_plausibility_table_needs_no_django():
    # The engine may import it only because it imports nothing but the standard library.
    source = (Path(__file__).resolve().parents[1] / "cases" / "plausibility.py").read_text()
    imports, _ = scan(source, "cases.plausibility")
    assert {imp.target.split(".")[0] for imp in imports} <= set(sys.stdlib_module_names) | {
        "__future__"}
