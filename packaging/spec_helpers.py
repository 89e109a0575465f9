"""What goes into the frozen program, as plain functions: the spec calls them, tests check them.

Kept free of PyInstaller imports at module level, so `tests/packaging/test_spec.py` can load it
without PyInstaller installed. Everything here reads the project as it is (name, version, the
folders), so the build never carries a copied number or a stale list.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nominator"
MIGRATIONS = PACKAGE / "store" / "migrations"
ICON_ICO = ROOT / "resources" / "icons" / "nominator.ico"
ICON_PNG = ROOT / "resources" / "icons" / "nominator.png"

GUI_NAME_FALLBACK = "nominator"  # never used unless the package lost its APP_NAME
CLI_NAME = "nominator-cli"
QT_LANGUAGES = ("zh_CN",)  # Qt's own translations kept in the build; the rest are dropped
BABEL_LOCALES = ("root", "en", "zh")  # docxcompose imports babel; its 800 locales are 30 MB

# Qt and Python parts the program never uses; PyInstaller would otherwise follow optional imports.
EXCLUDED_MODULES = [
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtMultimedia",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPdf",
    "PySide6.QtSql",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtTest",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc",
    "pytest",
    "pytestqt",
    "hypothesis",
    "IPython",
    "numpy",
    "cryptography",  # pypdf's optional decryption; we only join PDFs we made (saves 20 MB)
    "alembic.testing",
    "sqlalchemy.testing",
    "mako.testing",
]


def package_metadata() -> dict[str, str]:
    """Name, version and description as the project states them (read, not imported: the
    build may run before the package's dependencies are importable)."""
    import tomllib

    tree = ast.parse((PACKAGE / "__init__.py").read_text("utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return {
        "version": found["__version__"],
        "app_name": found.get("APP_NAME", GUI_NAME_FALLBACK),
        "description": project.get("description", ""),
    }


def gui_name() -> str:
    return package_metadata()["app_name"]


def dist_name() -> str:
    """The folder under dist/ and the portable zip's stem."""
    return gui_name()


def project_datas() -> list[tuple[str, str]]:
    """(source, destination folder) pairs: the program's own files, laid out as paths.py expects.

    resources/ and forms/ sit at the top of the bundle (sys._MEIPASS); the Alembic scripts sit
    beside the frozen `nominator.store.session` module, where its `script_location` points.
    """
    pairs: list[tuple[str, str]] = []
    for folder in ("resources", "forms"):
        pairs.extend(_tree(ROOT / folder, PurePath(folder)))
    pairs.extend(_tree(MIGRATIONS, PurePath("nominator", "store", "migrations"), suffixes={".py", ".mako"}))
    return pairs


def _tree(folder: Path, dest: PurePath, suffixes: set[str] | None = None) -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.name.startswith("."):
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        rel_parent = path.parent.relative_to(folder)
        pairs.append((str(path), str(dest / rel_parent)))
    return pairs


def migration_imports() -> list[str]:
    """Modules the migration scripts import: they are loaded from files at run time, so
    PyInstaller's import scan never sees them; name them as hidden imports."""
    names: set[str] = set()
    for path in MIGRATIONS.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    stdlib = set(sys.stdlib_module_names)
    return sorted(n for n in names if n.split(".")[0] not in stdlib and n != "__future__")


def third_party_datas() -> list[tuple[str, str]]:
    """Data files inside libraries that their PyInstaller hooks may not collect."""
    from PyInstaller.utils.hooks import collect_data_files

    datas: list[tuple[str, str]] = []
    datas += collect_data_files("docx")  # default document, header, footer … templates
    datas += collect_data_files("docxcompose")  # templates/*.xml for numbering, footnotes …
    datas += collect_data_files("docxtpl")
    datas += collect_data_files("chinese_calendar")  # the tables are .py, this adds any data
    # python-docx opens "docx/parts/../templates/…": on Linux and macOS that path only resolves
    # when docx/parts exists as a folder, which it does not when the modules live in the archive.
    datas.append((_module_file("docx.parts"), "docx/parts"))
    return datas


def _module_file(name: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"{name} is not installed in the build environment")
    return spec.origin


def hidden_imports() -> list[str]:
    from PyInstaller.utils.hooks import collect_submodules

    names = set(migration_imports())
    names.update(collect_submodules("alembic", filter=lambda n: not n.startswith("alembic.testing")))
    names.update(["sqlalchemy.dialects.sqlite", "chinese_calendar", "nominator.selftest"])
    return sorted(names)


def keep_data(dest: str) -> bool:
    """Whether a collected data file stays: Qt translations only in Chinese, babel only root/en/zh."""
    parts = PurePath(dest).parts
    name = parts[-1]
    if "translations" in parts and name.endswith(".qm"):
        return any(name.endswith(f"_{lang}.qm") for lang in QT_LANGUAGES)
    if "locale-data" in parts and name.endswith(".dat"):
        stem = name[: -len(".dat")]
        return stem.split("_")[0] in BABEL_LOCALES
    return True


def filter_datas(toc: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [entry for entry in toc if keep_data(entry[0])]


def runtime_paths_ok(bundle: Path) -> list[str]:
    """What a finished onedir bundle is missing (empty: nothing). Used by build.py and tests."""
    internal = bundle / "_internal"
    root = internal if internal.is_dir() else bundle
    wanted = [
        root / "resources" / "campaigns",
        root / "resources" / "icons" / "nominator.png",
        root / "forms",
        root / "nominator" / "store" / "migrations" / "env.py",
        root / "nominator" / "store" / "migrations" / "versions",
        root / "docx" / "templates",
        root / "docxcompose" / "templates",
    ]
    missing = [str(p.relative_to(bundle)) for p in wanted if not p.exists()]
    if not list(root.rglob("qtbase_zh_CN.qm")):
        missing.append("qtbase_zh_CN.qm")
    return missing
