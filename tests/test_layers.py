"""Dependencies point one way: each part may use the parts in the layers below it, never above, and no
modules import each other in a circle.

Imports are read from the source with `ast` (imports deferred into functions count too); model
relations are read from the app registry; string references to models ("cases.CaseIndexPage" in
`parent_page_types`, "taxonomy.GrantProgram" in a relation) are read from the source's string constants.
Migrations and tests are left out: migrations name history, tests may use everything.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("casebook", "cases", "measures")
SKIPPED_FOLDERS = {"migrations", "tests", "__pycache__"}

# Lowest first, by module prefix (the longest prefix decides). Parts in one layer may use each other.
# `cases` alone is the app's own files (models/, apps.py, templatetags/, management/): they sit on its sub-packages.
LAYERS = [
    ["casebook.base.core"],
    ["casebook.base.search"],
    ["casebook.base.taxonomy"],
    ["measures"],
    ["cases.content"],
    ["cases.discovery"],
    ["cases.reuse", "cases.intake"],
    ["cases.routes"],
    ["cases"],
    ["casebook.site.home", "casebook.site.editorial", "casebook.site.seed"],
    ["casebook.site.alerts"],
]
LAYER_OF = {part: number for number, layer in enumerate(LAYERS) for part in layer}
# casebook.settings, casebook.urls and casebook.wsgi are the project, not a part: they sit on top.
PROJECT_MODULES = ("casebook.settings", "casebook.urls", "casebook.wsgi", "casebook.asgi")

# What `cases/` may hold outside its sub-packages: the files Django and Wagtail look for by name.
CASES_APP_FILES = {"__init__.py", "apps.py", "models", "templatetags", "management", "migrations"}
CASES_SUBPACKAGES = {part.removeprefix("cases.") for part in LAYER_OF if part.startswith("cases.")}

# Files whose model labels are data, not a use: the backup's table of the labels models had before they moved.
LABELS_AS_DATA = {"casebook/base/core/backup.py"}

MODEL_REFERENCE = re.compile(r"^([a-z_]+)\.([A-Z][A-Za-z0-9]*)$")


def part_of(module: str) -> str | None:
    """The layered part a dotted module name belongs to, or None for the standard library and packages."""
    for part in sorted(LAYER_OF, key=len, reverse=True):
        if module == part or module.startswith(f"{part}."):
            return part
    return None


def source_files(root: Path = ROOT):
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if not SKIPPED_FOLDERS & set(path.relative_to(root).parts):
                yield path


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT):
    """(line, dotted name) for every import in the file; `from a import b` yields both a and a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # "from casebook.base.core import seo" names a module too
                yield node.lineno, f"{module}.{alias.name}"


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    paths = {module_name(path, root): path for path in source_files(root)}

    def known(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in paths.items():
        targets = {known(module) for _, module in imported_modules(path, root)}
        graph[name] = {target for target in targets if target and target != name}
    return graph


def import_circles(root: Path = ROOT) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    graph = import_graph(root)
    index, low, on_stack, stack, circles = {}, {}, set(), [], []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
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
                    if len(component) > 1:
                        circles.append(sorted(component))
    return sorted(circles)


def upward(importer_module: str, target_part: str | None) -> bool:
    importer = part_of(importer_module)
    return bool(importer and target_part and LAYER_OF[target_part] > LAYER_OF[importer])


def upward_imports(root: Path = ROOT) -> list[str]:
    found = {}
    for path in source_files(root):
        name = module_name(path, root)
        for line, module in imported_modules(path, root):
            if upward(name, part_of(module)):
                where = f"{path.relative_to(root)}:{line}"
                found.setdefault(where, f"{where} imports {module} ({part_of(name)} → {part_of(module)})")
    return sorted(found.values())


def referenced_model(text: str):
    match = MODEL_REFERENCE.match(text)
    if not match:
        return None
    label, model_name = match.groups()
    try:
        return apps.get_model(label, model_name)
    except LookupError:
        return None


def upward_model_references(root: Path = ROOT) -> list[str]:
    """String constants naming a model ("home.HomePage") whose module is in a layer above the code naming it."""
    found = []
    for path in source_files(root):
        if str(path.relative_to(root)) in LABELS_AS_DATA:
            continue
        name = module_name(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                model = referenced_model(node.value)
                if model is not None and upward(name, part_of(model.__module__)):
                    found.append(f"{path.relative_to(root)}:{node.lineno} names {node.value} ({model.__module__})")
    return sorted(found)


def upward_relations() -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        if part_of(model.__module__) is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue  # reverse relations are the other model's forward ones
            if upward(model.__module__, part_of(field.related_model.__module__)):
                found.append(f"{model._meta.label}.{field.name} → {field.related_model._meta.label}")
    return sorted(found)


def upward_page_types() -> list[str]:
    """Page types allowed above or below a page, as Wagtail resolves them, that live in a higher layer than
    the module that declared the rule (a rule set from above, as home sets the index pages' parent, is fine)."""
    from wagtail.models import Page, get_page_models

    found = []
    assignments = rule_assignments()
    for page in get_page_models():
        for attribute, resolve in (
            ("parent_page_types", page.clean_parent_page_models),
            ("subpage_types", page.clean_subpage_models),
        ):
            if getattr(page, attribute, None) is None:
                continue
            declared_in = declaring_module(page, attribute, assignments)
            for other in resolve():
                if other is not Page and upward(declared_in, part_of(other.__module__)):
                    found.append(f"{page._meta.label}.{attribute} → {other._meta.label} (set in {declared_in})")
    return sorted(found)


def rule_assignments() -> dict[tuple[str, str], str]:
    """(class name, attribute) -> the module that assigns `ClassName.attribute = …` outside the class."""
    found = {}
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                        found[(target.value.id, target.attr)] = module_name(path)
    return found


def declaring_module(page, attribute: str, assignments: dict) -> str:
    """The module whose code sets the page's rule: another module assigning to it, or its class body."""
    if (page.__name__, attribute) in assignments:
        return assignments[(page.__name__, attribute)]
    for klass in page.__mro__:
        if attribute in vars(klass):
            return klass.__module__
    return page.__module__


def loose_modules_of_cases(root: Path = ROOT) -> list[str]:
    return sorted(
        entry.name
        for entry in (root / "cases").iterdir()
        if entry.name not in CASES_APP_FILES | CASES_SUBPACKAGES and entry.name != "__pycache__"
    )


def test_no_import_circle_among_the_projects_modules():
    assert import_circles() == []


def test_no_module_imports_an_app_in_a_layer_above_it():
    assert upward_imports() == []


def test_no_string_names_a_model_in_a_layer_above_it():
    assert upward_model_references() == []


def test_no_model_points_at_a_model_in_a_layer_above_it():
    assert upward_relations() == []


def test_page_type_rules_point_down_from_where_they_are_set():
    assert upward_page_types() == []


def test_every_app_of_the_project_is_in_a_layer():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }
    assert {part_of(name) for name in ours} <= set(LAYER_OF)
    assert all(part_of(name) == name or name == "cases" for name in ours)


def test_every_module_of_the_project_is_in_a_layer():
    packages = {"casebook", "casebook.base", "casebook.site"}
    modules = [module_name(path) for path in source_files()]
    assert [m for m in modules if not (part_of(m) or m.startswith(PROJECT_MODULES) or m in packages)] == []


def test_cases_holds_only_its_sub_packages_and_the_apps_own_files():
    assert loose_modules_of_cases() == []
    assert CASES_SUBPACKAGES <= {entry.name for entry in (ROOT / "cases").iterdir()}


def test_nothing_in_cases_imports_its_model_registry():
    """cases/models/ only registers the models with Django; code imports them from where they live."""
    users = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in source_files()
        if module_name(path).startswith("cases.")
        for line, module in imported_modules(path)
        if module == "cases.models" or module.startswith("cases.models.")
    ]
    assert users == []


def test_the_plan_imports_no_model():
    plan = ROOT / "measures" / "plan.py"
    assert [module for _, module in imported_modules(plan) if module.startswith(("measures.models", "django.db"))] == []


def probe(root: Path, module: str, source: str) -> None:
    path = root / Path(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for folder in [path.parent, *path.parent.parents]:
        if folder == root:
            break
        (folder / "__init__.py").touch()
    path.write_text(source, encoding="utf-8")


def test_the_checks_see_an_upward_import_and_an_upward_relation(tmp_path, monkeypatch):
    """Each check would catch its violation: a circle through a deferred import, taxonomy importing cases
    (deferred into a function), a discovery module naming a route page by string, and a model pointing up."""
    probe(tmp_path, "cases.content.first", "from cases.content import second\n")
    probe(tmp_path, "cases.content.second", "def later():\n    from cases.content.first import x\n")
    assert import_circles(tmp_path) == [["cases.content.first", "cases.content.second"]]

    probe(tmp_path, "casebook.base.taxonomy.probe", "def used_by():\n    from cases.models import CasePage\n")
    assert upward_imports(tmp_path) == [
        "casebook/base/taxonomy/probe.py:2 imports cases.models (casebook.base.taxonomy → cases)"
    ]

    probe(tmp_path, "cases.discovery.probe", 'parent_page_types = ["cases.CaseIndexPage"]\n')
    assert upward_model_references(tmp_path) == [
        "cases/discovery/probe.py:1 names cases.CaseIndexPage (cases.routes.index)"
    ]

    (tmp_path / "cases" / "stray.py").touch()
    assert loose_modules_of_cases(tmp_path) == ["stray.py"]

    monkeypatch.setitem(LAYER_OF, "casebook.base.taxonomy", LAYER_OF["cases"] + 1)
    assert any(relation.startswith("cases.CasePage.lead_organization") for relation in upward_relations())
