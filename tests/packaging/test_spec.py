"""The PyInstaller spec's lists, checked without building (the real build is a CI step):
everything the frozen program reads from disk is named, and name and version come from the
package."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path, PurePath
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load(name: str) -> ModuleType:
    # packaging/ is not a package (the name belongs to PyPI's "packaging"): load by path, and
    # register under the name the spec uses, so version_info's `from spec_helpers import` works.
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


helpers = _load("spec_helpers")
version_info = _load("version_info")  # after spec_helpers, which it imports


def _bundled(folder: Path) -> set[str]:
    return {
        str(p.relative_to(ROOT)) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }


def _dest_paths() -> set[str]:
    return {str(PurePath(dest) / Path(src).name) for src, dest in helpers.project_datas()}


def test_every_form_and_resource_file_is_collected_at_the_bundle_root() -> None:
    wanted = _bundled(ROOT / "forms") | _bundled(ROOT / "resources")
    wanted = {w for w in wanted if not PurePath(w).name.startswith(".")}
    assert wanted
    assert wanted <= _dest_paths()


def test_migration_scripts_sit_beside_the_frozen_store_module() -> None:
    dests = _dest_paths()
    versions = sorted((ROOT / "nominator/store/migrations/versions").glob("*.py"))
    assert versions
    for path in versions:
        assert f"nominator/store/migrations/versions/{path.name}" in dests
    assert "nominator/store/migrations/env.py" in dests
    assert "nominator/store/migrations/script.py.mako" in dests


def test_modules_the_migrations_import_are_hidden_imports() -> None:
    assert "alembic" in helpers.migration_imports()
    assert "sqlalchemy" in helpers.migration_imports()


def test_the_icon_exists_in_every_size_windows_asks_for() -> None:
    from PIL import Image

    with Image.open(helpers.ICON_ICO) as ico:
        sizes = ico.info["sizes"]
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(sizes)
    assert helpers.ICON_PNG.is_file()
    assert str(helpers.ICON_ICO.relative_to(ROOT)) in _dest_paths()


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qt_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("babel/locale-data/zh_Hans_CN.dat", True),
        ("babel/locale-data/root.dat", True),
        ("babel/locale-data/fr_CA.dat", False),
        ("docx/templates/default.docx", True),
        ("forms/liaoning-zwgk-2025/form2.docx", True),
    ],
)
def test_only_chinese_qt_translations_and_needed_locales_are_kept(dest: str, kept: bool) -> None:
    assert helpers.keep_data(dest) is kept


def test_name_and_version_come_from_the_package() -> None:
    import nominator

    meta = helpers.package_metadata()
    assert meta["version"] == nominator.__version__
    assert meta["app_name"] == nominator.APP_NAME == helpers.gui_name()


def test_the_spec_reads_names_from_the_helpers_and_keeps_upx_off() -> None:
    spec = (PACKAGING / "nominator.spec").read_text("utf-8")
    tree = ast.parse(spec)  # a spec is Python: it must at least parse
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls
    assert "spec_helpers.project_datas()" in spec
    assert "spec_helpers.EXCLUDED_MODULES" in spec
    assert "upx=True" not in spec
    assert nominator_version() not in spec  # never a copied version number


def nominator_version() -> str:
    import nominator

    return f'"{nominator.__version__}"'


def test_windows_version_resource_is_chinese_and_numbered_from_the_version() -> None:
    import nominator

    text = version_info.render("推荐材料助手")
    ast.parse(text)  # PyInstaller eval()s it
    assert "StringStruct('ProductName', '推荐材料助手')" in text
    assert f"StringStruct('ProductVersion', '{nominator.__version__}')" in text
    assert "'080404b0'" in text
    assert version_info.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    assert version_info.version_tuple("2.0") == (2, 0, 0, 0)


def test_windows_version_resource_evaluates_with_pyinstallers_constructor_names() -> None:
    # PyInstaller eval()s the file with its win32 classes (importable on Windows only): stand-ins
    # with the same names prove the expression calls exactly those, with these arguments.
    def stand_in(name: str) -> object:
        return lambda *args, **kwargs: (name, args, kwargs)

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct"]
    names += ["VarFileInfo", "VarStruct"]
    tree = eval(version_info.render("nominator-cli"), {n: stand_in(n) for n in names})
    assert tree[0] == "VSVersionInfo"
    assert tree[2]["ffi"][2]["filevers"] == version_info.version_tuple(helpers.package_metadata()["version"])


def test_installer_script_takes_its_version_from_the_generated_include() -> None:
    iss = (PACKAGING / "installer.iss").read_text("utf-8-sig")
    assert "#include VersionInclude" in iss
    assert "{#AppVersion}" in iss
    assert ".nominator" in iss
    assert "ChineseSimplified.isl" in iss
    assert nominator_version().strip('"') not in iss
    defines = version_info.inno_defines()
    assert '#define AppName "推荐材料助手"' in defines
