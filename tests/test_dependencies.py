"""Every third-party package our code imports is declared in pyproject.toml, and every
declared runtime dependency is used (directly, or by the named indirect route)."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# import name → distribution, where they differ
DISTRIBUTION = {"PIL": "pillow", "docx": "python-docx", "pptx": "python-pptx", "yaml": "PyYAML",
                "pdfminer": "pdfminer.six", "distributed": "dask", "stdnum": "python-stdnum",
                "sqlalchemy": "SQLAlchemy", "xlsxwriter": "XlsxWriter", "jinja2": "Jinja2", "markupsafe": "MarkupSafe",
                "charset_normalizer": "charset-normalizer", "presidio_analyzer": "presidio-analyzer",
                "presidio_anonymizer": "presidio-anonymizer"}
# declared, never imported by name: SQLAlchemy loads the database drivers from the URL
# (keys: distribution names)
INDIRECT = {"psycopg": "SQLAlchemy's postgresql+psycopg dialect", "pymysql": "SQLAlchemy's mysql+pymysql dialect"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    extras = {_name(r) for rs in project["optional-dependencies"].values() for r in rs}
    return runtime, extras


def _imported() -> dict[str, str]:
    """Top-level third-party module → one file that imports it (absolute imports in src/)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "src" / "piiscan").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {n.split(".")[0] for n in names} - set(sys.stdlib_module_names) - {"piiscan"}:
                found.setdefault(top, path.relative_to(ROOT).as_posix())
    return found


def _distribution(module: str) -> str:
    return DISTRIBUTION.get(module, module).lower().replace("_", "-")


def test_every_imported_package_is_declared():
    runtime, extras = _declared()
    undeclared = {f"{m} ({where})" for m, where in _imported().items() if _distribution(m) not in runtime | extras}
    assert undeclared == set()


def test_every_runtime_dependency_is_imported_or_named_as_indirect():
    runtime, _ = _declared()
    used = {_distribution(m) for m in _imported()} | set(INDIRECT)
    assert runtime - used == set()


def test_optional_imports_are_only_the_ocr_extra():
    # an extra's package may be missing at run time: only the OCR reader imports one, lazily
    runtime, _ = _declared()
    optional = {m for m in _imported() if _distribution(m) not in runtime}
    assert optional <= {"pytesseract"}


def test_every_requirement_has_a_lower_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [r for r in project["dependencies"] if ">=" not in r and "==" not in r] == []
