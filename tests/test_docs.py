"""The docs keep up with the code: the configuration table in docs/operating.md names exactly the
environment variables the settings read, the README stays short and starts with the two commands, and
its links point to files that exist.

The variables are read from the settings' source with `ast`: `os.environ.get("X")`, `os.environ["X"]`,
`os.getenv("X")`, `os.environ.setdefault("X")`, `"X" in os.environ`, `dj_database_url.config()`
(`DATABASE_URL` unless `env=` names another), a helper defined in the settings that reads the variable
its argument names (`env_int("X", 5)`), and the project functions the settings import that read one
themselves (`site_cache_prefix` reads `CACHE_KEY_PREFIX`).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "casebook" / "settings"
OPERATING = ROOT / "docs" / "operating.md"
README = ROOT / "README.md"
PROJECT_PACKAGES = ("casebook", "cases", "measures")

ENV_NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _env_argument(node: ast.AST) -> ast.expr | None:
    """The expression that names the variable when `node` reads the environment, else None."""
    if isinstance(node, ast.Call):
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in {"get", "setdefault", "pop"}:
            if _is_environ(function.value) and node.args:
                return node.args[0]
        getenv = (isinstance(function, ast.Attribute) and function.attr == "getenv") or (
            isinstance(function, ast.Name) and function.id == "getenv"
        )
        if getenv and node.args:
            return node.args[0]
        if isinstance(function, ast.Attribute) and function.attr == "config":
            if isinstance(function.value, ast.Name) and function.value.id == "dj_database_url":
                named = [keyword.value for keyword in node.keywords if keyword.arg == "env"]
                return named[0] if named else ast.Constant("DATABASE_URL")
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
        if _is_environ(node.comparators[0]):
            return node.left
    return None


def _constant(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names_read_in(tree: ast.AST) -> set[str]:
    """Variable names read as string constants anywhere under `tree`."""
    return {name for node in ast.walk(tree) if (name := _constant(_env_argument(node)))}


def _helpers_in(tree: ast.AST) -> dict[str, tuple[int, str]]:
    """Functions defined under `tree` that read the variable one of their parameters names:
    function name -> (position, name) of that parameter."""
    helpers = {}
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        parameters = [argument.arg for argument in function.args.posonlyargs + function.args.args]
        for node in ast.walk(function):
            argument = _env_argument(node)
            if isinstance(argument, ast.Name) and argument.id in parameters:
                helpers[function.name] = (parameters.index(argument.id), argument.id)
    return helpers


def _imported_functions(tree: ast.AST, root: Path):
    """(local name, definition) for each project function imported with `from package.module import f`."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        if node.module.split(".")[0] not in PROJECT_PACKAGES:
            continue
        path = root.joinpath(*node.module.split(".")).with_suffix(".py")
        if not path.exists():
            continue
        definitions = {
            definition.name: definition
            for definition in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        for alias in node.names:
            if alias.name in definitions:
                yield alias.asname or alias.name, definitions[alias.name]


def environment_names_read(path: Path, root: Path = ROOT) -> set[str]:
    """Every environment variable one settings file reads, directly or through a helper."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _names_read_in(tree)
    helpers = _helpers_in(tree)
    for local_name, definition in _imported_functions(tree, root):
        names |= _names_read_in(definition)
        if helper := _helpers_in(definition).get(definition.name):
            helpers[local_name] = helper
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers:
            position, parameter = helpers[node.func.id]
            argument = node.args[position] if len(node.args) > position else None
            argument = next((k.value for k in node.keywords if k.arg == parameter), argument)
            if name := _constant(argument):
                names.add(name)
    return names


def settings_environment_names(folder: Path = SETTINGS, root: Path = ROOT) -> set[str]:
    return set().union(*(environment_names_read(path, root) for path in sorted(folder.glob("*.py"))))


def configuration_table_names(path: Path = OPERATING, heading: str = "Configuration") -> set[str]:
    """The names in backticks in the first column of the first table under the heading."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(number for number, line in enumerate(lines) if re.match(rf"#+ {re.escape(heading)}\b", line))
    names, in_table = set(), False
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            in_table = True
            names |= set(ENV_NAME.findall(line.strip().strip("|").split("|")[0]))
        elif in_table:
            break
    return names


def relative_links(path: Path) -> list[str]:
    """Targets of the markdown links that are not web addresses or anchors, code blocks left out."""
    text = CODE_BLOCK.sub("", path.read_text(encoding="utf-8"))
    targets = [target for target in MARKDOWN_LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]
    return [target.split("#")[0] for target in targets if not target.startswith("#")]


def test_the_configuration_table_names_every_setting_the_code_reads():
    read = settings_environment_names()
    listed = configuration_table_names()
    assert {"DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "EMAIL_HOST"} <= read  # the collector works
    assert sorted(read - listed) == [], "read by casebook/settings but without a row in docs/operating.md"
    assert sorted(listed - read) == [], "a row in docs/operating.md that casebook/settings does not read"


def test_the_collectors_find_every_way_of_reading_a_variable(tmp_path):
    package = tmp_path / "casebook" / "helpers.py"
    package.parent.mkdir()
    package.write_text(
        "import os\n"
        "def prefix():\n    return os.environ.get('FROM_AN_IMPORTED_FUNCTION')\n"
        "def imported_helper(name):\n    return os.getenv(name)\n"
        "def not_imported():\n    return os.environ.get('NEVER_IMPORTED')\n",
        encoding="utf-8",
    )
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "base.py").write_text(
        "import os\nfrom os import environ, getenv\nimport dj_database_url\n"
        "from casebook.helpers import prefix, imported_helper as named\n"
        "def env_int(name, default):\n    return int(os.environ.get(name, default))\n"
        "A = os.environ.get('WITH_GET', '')\nB = os.environ['WITH_SUBSCRIPT']\nC = os.getenv('WITH_GETENV')\n"
        "D = environ.get('WITH_BARE_ENVIRON')\nE = getenv('WITH_BARE_GETENV')\n"
        "F = env_int('THROUGH_A_HELPER', 5)\nG = env_int(default=1, name='THROUGH_A_HELPER_BY_KEYWORD')\n"
        "H = 'WITH_IN' in os.environ\nI = dj_database_url.config(default='sqlite://')\n"
        "J = dj_database_url.config(env='OTHER_DATABASE_URL')\nK = prefix()\nL = named('THROUGH_AN_IMPORTED_HELPER')\n"
        "M = os.environ.get(some_variable)\nN = env_int(some_variable, 1)\n",
        encoding="utf-8",
    )
    (settings / "production.py").write_text("import os\nos.environ.setdefault('WITH_SETDEFAULT', '1')\n", "utf-8")
    assert settings_environment_names(settings, root=tmp_path) == {
        "WITH_GET",
        "WITH_SUBSCRIPT",
        "WITH_GETENV",
        "WITH_BARE_ENVIRON",
        "WITH_BARE_GETENV",
        "THROUGH_A_HELPER",
        "THROUGH_A_HELPER_BY_KEYWORD",
        "WITH_IN",
        "DATABASE_URL",
        "OTHER_DATABASE_URL",
        "FROM_AN_IMPORTED_FUNCTION",
        "THROUGH_AN_IMPORTED_HELPER",
        "WITH_SETDEFAULT",
    }

    docs = tmp_path / "operating.md"
    docs.write_text(
        "# Operating\n\n## Configuration (environment variables)\n\nSee `NOT_IN_THE_TABLE`.\n\n"
        "| variable | default | meaning |\n| --- | --- | --- |\n"
        "| `ONE` | `x` | mentions `NOT_A_ROW` |\n| `TWO`, `THREE` | — | two names in one row |\n\n"
        "| `A_SECOND_TABLE` | | |\n\n## Deployment\n\n| `ANOTHER_HEADING` | | |\n",
        encoding="utf-8",
    )
    assert configuration_table_names(docs) == {"ONE", "TWO", "THREE"}


def test_a_variable_added_to_the_settings_without_a_row_is_found(tmp_path):
    copy = tmp_path / "settings"
    copy.mkdir()
    for path in SETTINGS.glob("*.py"):
        (copy / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (copy / "production.py").open("a", encoding="utf-8") as production:
        production.write('\nCASEBOOK_SOMETHING_NEW = os.environ.get("CASEBOOK_SOMETHING_NEW", "")\n')
    assert settings_environment_names(copy) - configuration_table_names() == {"CASEBOOK_SOMETHING_NEW"}


def test_readme_is_short_and_starts_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250
    opening = "\n".join(lines[:15])
    assert "make run" in opening
    assert "make test" in opening


def test_every_docs_link_in_readme_exists():
    targets = relative_links(README)
    assert any(target.startswith("docs/") for target in targets)
    missing = [target for target in targets if target and not (README.parent / target).exists()]
    assert missing == []
