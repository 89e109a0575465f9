"""Bulk intake from Excel: reading a filled import template (template.py) and adding its rows.

`read_template` never writes anything: it builds each row's record and lists every cell it could
not take, naming the sheet, row and column and saying how to fix it. Then `apply_intake` adds the
rows in the caller's transaction after a backup, so nothing is half-imported.

The file is untrusted: it is read from memory with size caps, formulas are never evaluated
(a formula cell is flagged; a text that merely starts with "=" is kept as text), and a file
whose headers are not ours is refused rather than guessed at.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from nominator import gate
from nominator.campaign import Campaign
from nominator.domain.model import (
    Assessment,
    Member,
    Nominee,
    Period,
    new_record,
)
from nominator.domain.quota import quota_refusal
from nominator.errors import UserError
from nominator.interchange.cells import cell_value
from nominator.interchange.template import Column, SheetSpec, sheet_specs
from nominator.store import backup
from nominator.store.records import Snapshot
from nominator.store.session import Kind, Store
from nominator.store.writer import Writer

# Budgets for a workbook from outside (nominator.gate), checked before openpyxl parses anything.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a filled 1000-row template unpacks to well under 5 MB
MAX_PARTS = 1000  # files inside the .xlsx; Excel writes a few dozen
MAX_DATA_ROWS = 5000  # per sheet; a unit recommends dozens
MAX_SCANNED_ROWS = 4 * MAX_DATA_ROWS  # rows looked at per sheet, blank ones included
MAX_CELLS = 60 * MAX_DATA_ROWS  # cells written in one worksheet part, empty styled ones included
MAX_STRINGS = 100_000  # different texts (shared strings) in the workbook
MAX_PART_TAGS = 20_000  # elements in any other part (styles, workbook, comments): a template has <1,000
MAX_COLUMNS = 200


# ---- reading a filled template --------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One cell the intake could not take, said the way a clerk finds it in Excel."""

    sheet: str
    row: int  # the row number Excel shows
    column: str  # the column header
    message: str  # what is wrong and how to fix it

    def __str__(self) -> str:
        where = f"“{self.column}”列" if self.column else ""
        return f"{self.sheet} 第{self.row}行{where}:{self.message}"


@dataclass
class IntakeRow:
    kind: Kind
    sheet: str
    row: int
    record: Nominee | Member  # cells with errors are left as typed or empty
    errors: list[CellError] = field(default_factory=list)
    over_quota: bool = False  # refused by rule Q1/Q2 (never imported, not even as typed)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class IntakePreview:
    """What a filled template would add; nothing is written until `apply_intake`."""

    file: Path
    rows: list[IntakeRow] = field(default_factory=list)  # in sheet order, then row order
    notices: list[str] = field(default_factory=list)  # sheet-level: unknown or missing columns

    def of_kind(self, kind: Kind) -> list[IntakeRow]:
        return [r for r in self.rows if r.kind == kind]

    @property
    def errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def valid_rows(self) -> list[IntakeRow]:
        return [r for r in self.rows if r.valid]

    @property
    def invalid_rows(self) -> list[IntakeRow]:
        return [r for r in self.rows if not r.valid]


@dataclass(frozen=True)
class IntakeCounts:
    collectives: int = 0
    individuals: int = 0
    members: int = 0
    skipped: int = 0  # rows with errors that were left out
    ids: tuple[tuple[Kind, int], ...] = ()  # the records added, by kind and id

    @property
    def added(self) -> int:
        return self.collectives + self.individuals + self.members


def read_template(path: Path, campaign: Campaign) -> IntakePreview:
    """Read a filled template into a preview: a record and its cell errors per non-blank row.

    The workbook comes from outside: it passes nominator.gate first (size, entry count, unpacked
    size, no DTD in any XML part), and any error of the zip, XML or openpyxl code while reading
    it becomes one message naming the file."""
    data = _read_capped(path)
    specs = sheet_specs(campaign)
    with gate.parser_errors(_broken(path)), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on extensions it does not read
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            return _read_workbook(wb, path, specs)
        finally:
            wb.close()


def _broken(path: Path) -> str:
    return (
        f"“{gate.shown(path.name)}”已损坏或不是有效的 Excel 文件,无法读取。"
        "请在 Excel/WPS 中打开并另存为 .xlsx 后再导入。"
    )


def _read_capped(path: Path) -> bytes:
    if not path.is_file():
        raise UserError(f"找不到文件“{gate.shown(path)}”。")
    suffix = path.suffix.lower()
    name = gate.shown(path.name)
    if suffix == ".xls":
        raise UserError(f"“{name}”是旧版 Excel 文件(.xls)。请在 Excel/WPS 中“另存为”.xlsx 后再导入。")
    if suffix not in (".xlsx", ".xlsm"):
        raise UserError(f"“{name}”不是 Excel 导入模板(.xlsx)。请先用“下载导入模板”获取模板并填写。")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"“{name}”有{size // 1024 // 1024}MB,超过导入上限{MAX_FILE_BYTES // 1024 // 1024}MB,"
            "不像正常的导入模板。请删去多余的内容(如图片)后再导入。"
        )
    data = gate.read_file(path, MAX_FILE_BYTES, what="导入模板")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise UserError(f"“{name}”是旧版 .xls 格式或设置了打开密码。请去掉密码并另存为 .xlsx 后再导入。")
    zf = gate.open_zip(
        io.BytesIO(data), name=path.name, max_entries=MAX_PARTS, what="Excel 文件", broken=_broken(path)
    )
    with zf, gate.parser_errors(_broken(path)):
        infos = zf.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            raise UserError(
                f"“{name}”解压后过大({unpacked // 1024 // 1024}MB),不像正常的导入模板,已拒绝读取。"
            )
        for info in infos:
            part = info.filename.lower()
            if not part.endswith((".xml", ".rels", ".vml")):
                continue
            xml = zf.read(info)
            gate.xml_prologue(xml[: gate.PROLOGUE_BYTES], file=path.name, part=info.filename)
            _within_budget(xml, part, name)
    return data


def _within_budget(xml: bytes, part: str, name: str) -> None:
    """openpyxl spends tens of microseconds on each element it reads (every cell of a row,
    wanted or not; every style; every shared string): count them first, so that a part stuffed
    with a million of anything is refused at once instead of parsed for minutes."""
    tags = xml.count(b"<")
    if part.startswith("xl/worksheets/"):
        cells = sum(xml.count(tag) for tag in (b"<c ", b"<c>", b":c ", b":c>"))
        if cells > MAX_CELLS or tags > 5 * MAX_CELLS:
            raise UserError(
                f"“{name}”的工作表中有{cells}个单元格,超过上限{MAX_CELLS}个,不像正常的导入模板。"
                "请删除表格右侧和下方多余的行和列后再导入。"
            )
    elif part.endswith("sharedstrings.xml"):
        strings = xml.count(b"<si>") + xml.count(b"<si ") + xml.count(b":si>") + xml.count(b":si ")
        if strings > MAX_STRINGS or tags > 6 * MAX_STRINGS:
            raise UserError(
                f"“{name}”中有{strings}段不同的文字,超过上限{MAX_STRINGS}段,不像正常的导入模板。"
                "请把内容复制到新下载的导入模板中再导入。"
            )
    elif tags > MAX_PART_TAGS:
        raise UserError(
            f"“{name}”的“{gate.shown(part)}”异常庞大(如成千上万种单元格格式),不像正常的导入模板。"
            "请把内容复制到新下载的导入模板中再导入。"
        )


def _norm(text: str) -> str:
    return re.sub(r"[\s*＊]", "", unicodedata.normalize("NFKC", text))


def _read_workbook(wb: Any, path: Path, specs: tuple[SheetSpec, ...]) -> IntakePreview:
    preview = IntakePreview(file=path)
    names = {_norm(name): name for name in wb.sheetnames}
    found = [spec for spec in specs if _norm(spec.title) in names]
    if not found:
        raise UserError(
            f"“{path.name}”不是推荐材料助手的导入模板:找不到{''.join(f'“{s.title}”' for s in specs)}工作表。"
            "请先用“下载导入模板”获取模板,在模板中填写后再导入。"
        )
    for spec in found:
        ws = wb[names[_norm(spec.title)]]
        preview.rows += _read_sheet(ws, spec, preview.notices, path)
    return preview


def _read_sheet(ws: Any, spec: SheetSpec, notices: list[str], path: Path) -> list[IntakeRow]:
    if hasattr(ws, "reset_dimensions"):
        # The <dimension> a file states is not trusted: rows below a stale "A1:W1" are data too.
        ws.reset_dimensions()
    header_cells = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS), ())
    by_header = {_norm(c.header): c for c in spec.columns}
    columns: dict[int, Column] = {}
    unknown = []
    for n, cell in enumerate(header_cells):
        if cell.value is None or not str(cell.value).strip():
            continue
        column = by_header.get(_norm(str(cell.value)))
        if column is None:
            unknown.append(str(cell.value).strip())
        elif column not in columns.values():
            columns[n] = column
    if spec.key_column not in columns.values():
        raise UserError(
            f"“{path.name}”的“{spec.title}”工作表第一行没有“{spec.key_column.header}”列,不是本程序的导入模板"
            "或列名被改动。请重新下载导入模板,把内容粘贴到模板中再导入。"
        )
    if unknown:
        notices.append(
            f"{spec.title}:有本模板没有的列({'、'.join(unknown)}),这些列的内容不会导入。"
            "如是改动了列名,请恢复为模板中的列名。"
        )
    missing = [c.header for c in spec.columns if c not in columns.values()]
    if missing:
        notices.append(f"{spec.title}:缺少列({'、'.join(missing)}),这些栏目导入后为空,可在程序中补填。")
    result: list[IntakeRow] = []
    # Only the template's columns are read, and every row counts against MAX_SCANNED_ROWS, blank
    # ones too: a sheet of a million formatted empty rows is refused at once, not after minutes.
    rows = ws.iter_rows(min_row=2, max_col=max(columns) + 1)
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_SCANNED_ROWS:
            raise UserError(
                f"“{gate.shown(path.name)}”的“{spec.title}”工作表有超过{MAX_SCANNED_ROWS}行(空行也算),"
                "不像正常的推荐材料。请删去表格下方多余的行(选中后右键“删除”)后再导入。"
            )
        values = {n: cells[n] for n in columns if n < len(cells)}
        if all(_blank(cell) for cell in values.values()):
            continue
        if len(result) >= MAX_DATA_ROWS:
            raise UserError(
                f"“{spec.title}”工作表超过{MAX_DATA_ROWS}行,不像正常的推荐材料。请删去多余的行后再导入。"
            )
        result.append(_read_row(spec, number, [(columns[n], cell) for n, cell in values.items()]))
    return result


def _blank(cell: Any) -> bool:
    value = cell.value
    return value is None or (isinstance(value, str) and not value.strip())


def _read_row(spec: SheetSpec, number: int, cells: list[tuple[Column, Any]]) -> IntakeRow:
    row = IntakeRow(spec.kind, spec.title, number, new_record(spec.kind))
    for column, cell in sorted(cells, key=lambda pair: spec.positions[pair[0].key]):
        if _blank(cell):
            continue
        value, problem = cell_value(column, cell)
        if problem:
            row.errors.append(CellError(spec.title, number, column.header, problem))
        if value is not None:
            codes = spec.codes.get(column.key)
            _assign(
                row.record, column.key, codes.get(value, value) if codes and isinstance(value, str) else value
            )
    key = spec.key_column
    if not str(_value_of(row.record, key.key) or "").strip() and not any(
        e.column == key.header for e in row.errors
    ):
        row.errors.insert(
            0, CellError(spec.title, number, key.header, f"请填写{key.header};不需要的行请整行删除。")
        )
    return row


def _value_of(record: Nominee | Member, key: str) -> Any:
    return record.get(key) if isinstance(record, Nominee) else getattr(record, key, "")


def _assign(record: Nominee | Member, key: str, value: Any) -> None:
    head, _, rest = key.partition(".")
    if isinstance(record, Nominee) and rest.isdigit():  # a rows field's year (近三年考核)
        rows = record.values.setdefault(head, [])
        rows.append(Assessment(int(rest), value))
    elif head == "attestations" and isinstance(record, Nominee):
        record.attestations[rest] = value
    elif head == "publicity" and isinstance(record, Nominee):
        level, _, part = rest.partition(".")
        setattr(record.publicity.setdefault(level, Period()), part, value)
    else:
        setattr(record, key, value)


# ---- adding the rows ------------------------------------------------------------------------


def refuse_over_quota(
    preview: IntakePreview, store: Store | Snapshot, campaign: Campaign, *, include_invalid: bool = False
) -> None:
    """Mark the rows that would take the unit past its quota, in sheet order after the store's
    own records, with the words the window uses when 新增 is refused (rules Q1/Q2)."""
    unit = store.unit()
    counts = {kind: len(store.ids(kind)) for kind in ("collective", "individual")}
    for row in preview.rows:
        if row.kind not in counts or row.over_quota or not (row.valid or include_invalid):
            continue
        refusal = quota_refusal(unit, campaign, row.kind, counts[row.kind])
        if refusal:
            row.over_quota = True
            row.errors.append(CellError(row.sheet, row.row, "", refusal))
        else:
            counts[row.kind] += 1


def apply_intake(writer: Writer, preview: IntakePreview, *, include_invalid: bool = False) -> IntakeCounts:
    """Append the preview's rows after the existing records, in sheet order, in one transaction.

    Rows with errors are left out unless `include_invalid`; then they are added with the bad
    cells as typed (choices, dates) or empty (numbers), for the checker to point at later.
    Rows beyond the quota are never added (`refuse_over_quota`, also when the caller did not).
    """
    refuse_over_quota(preview, writer, writer.rules(), include_invalid=include_invalid)
    chosen = [r for r in preview.rows if not r.over_quota and (r.valid or include_invalid)]
    skipped = len(preview.rows) - len(chosen)
    ids: list[int] = []
    if chosen:
        backup.make_backup(writer.path, "before-intake")
        ids = writer.add_many([(r.kind, r.record) for r in chosen])
    return IntakeCounts(
        collectives=sum(1 for r in chosen if r.kind == "collective"),
        individuals=sum(1 for r in chosen if r.kind == "individual"),
        members=sum(1 for r in chosen if r.kind == "member"),
        skipped=skipped,
        ids=tuple((r.kind, i) for r, i in zip(chosen, ids, strict=True)),
    )


def describe_preview(preview: IntakePreview) -> Iterator[str]:
    """The preview as lines for the command line and logs."""
    yield from (f"提示:{notice}" for notice in preview.notices)
    yield from (str(error) for error in preview.errors)
