"""`nominator --selftest`: proves an installed or frozen program has everything it needs.

In a temporary folder: the program's own files, a demo store (so the Alembic migrations ran),
the working-day calendar, the checker for both stages, both stage packages (without PDF:
LibreOffice is not ours to ship), the exchange file round trip, and — when Qt is there — the
main window built off-screen with Qt's Chinese translations loaded. One Chinese line per step;
exit 0, or 1 naming the step that failed. Nothing outside the temp folder is touched: backups,
logs and window settings are redirected into it for the run.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nominator import APP_NAME, __version__

if TYPE_CHECKING:
    from nominator.campaign import Campaign


class SelftestFailure(Exception):
    """A step found something missing or wrong; the message says what, in Chinese."""


def _require(condition: object, message: str) -> None:
    if not condition:
        raise SelftestFailure(message)


@contextmanager
def _private_environment(tmp: Path) -> Iterator[None]:
    """Backups and logs into the temp folder; Qt off-screen unless the caller chose a platform."""
    saved = {key: os.environ.get(key) for key in ("NOMINATOR_DATA_DIR", "QT_QPA_PLATFORM")}
    os.environ["NOMINATOR_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Run:
    def __init__(self, tmp: Path, window: bool, campaign: Campaign) -> None:
        self.tmp = tmp
        self.window = window
        self.campaign = campaign
        self.db = tmp / "示例-自检.nominator"

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        stages = list(self.campaign.stages.values())
        steps = [
            ("程序文件", self.program_files),
            ("示例推荐库", self.demo_store),
            ("工作日历", self.calendar),
            *((f"{s.name}检查", lambda key=s.key: self.check(key)) for s in stages),
            *((f"导出{s.name}材料", lambda key=s.key: self.export(key)) for s in stages),
            ("交换文件往返", self.exchange_round_trip),
        ]
        if self.window:
            steps.append(("主窗口", self.main_window))
        return steps

    def program_files(self) -> str:
        from nominator.paths import resources_dir

        campaign = self.campaign
        forms = sorted(campaign.forms_dir.glob("*.docx"))
        _require(forms, f"表格模板文件夹“{campaign.forms_dir}”中没有模板")
        _require(any(resources_dir().joinpath("campaigns").glob("*.toml")), "缺少评选规则文件")
        return f"规则“{campaign.id}”,表格模板 {len(forms)} 个"

    def demo_store(self) -> str:
        from nominator.interchange.demo import create_demo_store
        from nominator.store.session import Store, schema_head

        create_demo_store(self.db, campaign=self.campaign)
        with Store.open(self.db) as store:
            dossier = store.load_dossier()
        _require(dossier.individuals, "示例推荐库中没有推荐对象")
        return (
            f"数据库版本 {schema_head()},{self.campaign.kinds['collective'].count(len(dossier.collectives))},"
            f"{self.campaign.kinds['individual'].count(len(dossier.individuals))}"
        )

    def calendar(self) -> str:
        from nominator.campaign import WorkdayOverrides
        from nominator.domain.workdays import is_workday

        none = WorkdayOverrides(frozenset(), frozenset())
        _require(not is_workday(dt.date(2019, 10, 1), none), "国庆节被算成了工作日")
        _require(is_workday(dt.date(2019, 9, 29), none), "2019年9月29日(调休上班)未算作工作日")
        return "节假日与调休识别正确"

    def check(self, stage: str) -> str:
        from nominator.domain.checks import check
        from nominator.store.session import load_dossier

        # The campaign as resolved before the run: an added campaign's templates live outside the
        # temp data folder this run uses.
        dossier, campaign = load_dossier(self.db), self.campaign
        problems = check(dossier, campaign, stage)
        errors = [p for p in problems if p.is_error]
        _require(not errors, f"发现 {len(errors)} 项错误,第一项:{errors[0].message}" if errors else "")
        return f"无错误(提示 {len(problems)} 项)"

    def export(self, stage: str) -> str:
        from nominator.export.package import export_stage
        from nominator.store.session import load_dossier

        dossier, campaign = load_dossier(self.db), self.campaign
        result = export_stage(dossier, campaign, stage, self.tmp / "out", make_pdf=False)
        expected = [result.zip, result.eml, result.print_set, result.checklist, *result.electronic]
        if campaign.stages[stage].photos:
            _require(result.photo_sheet and result.label_sheet, "未生成照片打印页或背面标签")
            assert result.photo_sheet is not None and result.label_sheet is not None
            expected += [result.photo_sheet, result.label_sheet]
            photos = list(result.folder.rglob("*.jpg"))
            _require(len(photos) >= len(dossier.for_stage(stage, campaign).individuals), "照片文件不全")
        missing = [p.name for p in expected if not p.is_file() or p.stat().st_size == 0]
        _require(not missing, f"缺少或为空:{'、'.join(missing)}")
        return f"{len(expected)} 个文件:{result.zip.name}、{result.eml.name}、{result.print_set.name} 等"

    def exchange_round_trip(self) -> str:
        from nominator.interchange.exchange import dossier_to_json, export_from_store, import_into_store
        from nominator.store.session import load_dossier

        exchanged = export_from_store(self.db, self.tmp / "交换文件.zip")
        copy = self.tmp / "导入副本.nominator"
        import_into_store(exchanged, copy, campaign=self.campaign)
        before, after = load_dossier(self.db), load_dossier(copy)
        _require(dossier_to_json(before) == dossier_to_json(after), "导入后的内容与导出前不一致")
        _require(
            [i.photo_data for i in before.individuals] == [i.photo_data for i in after.individuals],
            "导入后的照片与导出前不一致",
        )
        return f"{exchanged.name} 导出再导入,内容一致"

    def main_window(self) -> str:
        # Qt only here, imported late: the command line and the model layers stay Qt-free.
        from PySide6.QtCore import QSettings

        from nominator.store.session import Store
        from nominator.ui.app import install_translations, make_application
        from nominator.ui.document import Document
        from nominator.ui.main_window import MainWindow

        settings = self.tmp / "settings"
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
        app = make_application()
        translated = install_translations(app)
        _require(translated, "未找到 Qt 的中文翻译(qtbase_zh_CN.qm)")
        store = Store.open(self.db)
        try:
            window = MainWindow(Document(store))
            title = window.windowTitle()
            window.close()
            window.deleteLater()
            app.processEvents()
        finally:
            store.close()
        return f"已在后台创建(平台 {app.platformName()}),中文翻译已加载;标题“{title}”"


def run(*, window: bool = True, out: Callable[[str], None] = print, campaign: Campaign | None = None) -> int:
    """0: every step passed; 1: one failed (named in the last line)."""
    from nominator.campaign import default_campaign

    started = time.perf_counter()
    campaign = campaign or default_campaign()  # resolved before the data folder is redirected
    out(f"{APP_NAME} {__version__} 自检开始(活动:{campaign.title})")
    with tempfile.TemporaryDirectory(prefix="nominator-selftest-") as name:
        tmp = Path(name)
        with _private_environment(tmp):
            run_ = _Run(tmp, window, campaign)
            steps = run_.steps()
            for n, (title, step) in enumerate(steps, start=1):
                try:
                    detail = step()
                except Exception as exc:
                    out(f"[{n}/{len(steps)}] {title}:失败。{_describe(exc)}")
                    return 1
                out(f"[{n}/{len(steps)}] {title}:通过。{detail}")
    out(f"自检全部通过,用时 {time.perf_counter() - started:.1f} 秒。")
    return 0


def _describe(exc: Exception) -> str:
    if isinstance(exc, SelftestFailure):
        return str(exc)
    from nominator.errors import UserError

    if isinstance(exc, UserError):
        return str(exc)
    # A bug or a missing file in the build: where it happened helps whoever builds the release.
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno}"
    return f"{type(exc).__name__}: {exc}({where})"
