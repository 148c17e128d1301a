"""Dependencies point one way: each app may use the apps in the layers below it, never above.

Imports are read from the source with `ast` (imports deferred into functions count too); model
relations are read from the app registry, which also resolves string references such as
"taxonomy.GrantProgram".
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first. Apps in one layer may use each other.
LAYERS = [
    ["casebook.core"],
    ["casebook.search"],
    ["casebook.taxonomy"],
    ["measures"],
    ["cases"],
    ["casebook.home", "casebook.editorial", "casebook.seed"],
    ["casebook.alerts"],
]
LAYER_OF = {app: number for number, layer in enumerate(LAYERS) for app in layer}
# casebook.settings, casebook.urls and casebook.wsgi are the project, not an app: they sit on top.


def app_of(module: str) -> str | None:
    """The layered app a dotted module name belongs to, or None for the standard library and packages."""
    for app in sorted(LAYER_OF, key=len, reverse=True):
        if module == app or module.startswith(f"{app}."):
            return app
    return None


def source_files(root: Path = ROOT):
    for app in LAYER_OF:
        yield from sorted((root / app.replace(".", "/")).rglob("*.py"))


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT):
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
            for alias in node.names:  # "from casebook import accessibility" names a module too
                yield node.lineno, f"{module}.{alias.name}"


def upward_imports(root: Path = ROOT) -> list[str]:
    found = {}
    for path in source_files(root):
        importer = app_of(module_name(path, root))
        for line, module in imported_modules(path, root):
            target = app_of(module)
            if target and LAYER_OF[target] > LAYER_OF[importer]:
                where = f"{path.relative_to(root)}:{line}"
                found.setdefault(where, f"{where} imports {module} ({importer} → {target})")
    return sorted(found.values())


def layered_app(model) -> str | None:
    return app_of(apps.get_app_config(model._meta.app_label).name)


def upward_relations() -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        owner = layered_app(model)
        if owner is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue  # reverse relations are the other model's forward ones
            target = layered_app(field.related_model)
            if target and LAYER_OF[target] > LAYER_OF[owner]:
                found.append(f"{model._meta.label}.{field.name} → {field.related_model._meta.label}")
    return sorted(found)


def test_no_module_imports_an_app_in_a_layer_above_it():
    assert upward_imports() == []


def test_no_model_points_at_a_model_in_a_layer_above_it():
    assert upward_relations() == []


def test_every_app_of_the_project_is_in_a_layer():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }
    assert ours == set(LAYER_OF)


def test_the_checks_see_an_upward_import_and_an_upward_relation(tmp_path, monkeypatch):
    """The two checks would catch a violation: taxonomy importing cases (even deferred into a
    function), and a model pointing at one in a layer above."""
    probe = tmp_path / "casebook" / "taxonomy" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("def used_by():\n    from cases.models import CasePage\n", encoding="utf-8")
    assert upward_imports(tmp_path) == ["casebook/taxonomy/probe.py:2 imports cases.models (casebook.taxonomy → cases)"]
    monkeypatch.setitem(LAYER_OF, "casebook.taxonomy", LAYER_OF["cases"] + 1)
    assert any(relation.startswith("cases.CasePage.lead_organization") for relation in upward_relations())
