"""What the problems panel lists and how it draws it: entries grouped by record, the model that
updates them in place, the delegate that wraps each entry to the panel's width, and the tree view."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from nominator.campaign import Campaign
from nominator.domain.model import Dossier, Nominee
from nominator.domain.problems import Problem
from nominator.domain.targets import without_record_opening
from nominator.ui.checking import Place

Index = QModelIndex | QPersistentModelIndex
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 10
ERROR_COLOUR = QColor("#c0392b")
WARNING_COLOUR = QColor("#8a6d00")
DONE_COLOUR = QColor("#6c757d")
NOTICE_STYLE = "color: #8a6d00;"
MARGIN = 4  # px around an entry's text
T = TypeVar("T")


# ---- what the panel lists --------------------------------------------------------------------


@dataclass
class Entry:
    key: tuple[Any, ...]
    problem: Problem
    place: Place
    reason: str | None  # the written reason of an accepted warning
    message: str = ""  # the problem's message without the record the heading names already

    @property
    def text(self) -> str:
        p = self.problem
        where = f" · {self.place.field_label}" if self.place.field_label else ""
        message = self.message or p.message
        if p.overridden:
            text = f"[{p.rule}] 已接受的提醒{where}:{message}"
            return text + (f"\n说明:{self.reason}" if self.reason else "")
        kind = "错误" if p.is_error else "提醒"
        return f"[{p.rule}] {kind}{where}:{message}"

    @property
    def colour(self) -> QColor:
        p = self.problem
        return DONE_COLOUR if p.overridden else ERROR_COLOUR if p.is_error else WARNING_COLOUR

    def same_as(self, other: Entry) -> bool:
        return (self.problem, self.place, self.reason, self.message) == (
            other.problem,
            other.place,
            other.reason,
            other.message,
        )


@dataclass
class Group:
    key: tuple[Any, ...]
    title: str
    entries: list[Entry] = field(default_factory=list)
    uid: int = 0  # a child index's internalId: stays while rows around it come and go

    @property
    def text(self) -> str:
        return f"{self.title}({len(self.entries)})"


def group_problems(
    problems: Sequence[Problem],
    place: Callable[[Problem], Place],
    dossier: Dossier | None,
    campaign: Campaign,
) -> list[Group]:
    """Problems grouped by record, in the checker's order; keys stay the same across re-checks
    as long as the problem is about the same record, field and rule."""
    groups: dict[tuple[Any, ...], Group] = {}
    seen: dict[tuple[Any, ...], int] = {}
    for problem in problems:
        where = place(problem)
        group = groups.get(where.group_key)
        if group is None:
            group = groups[where.group_key] = Group(where.group_key, where.group)
        base = (problem.rule, where.field or problem.target, problem.severity)
        n = seen[(where.group_key, *base)] = seen.get((where.group_key, *base), -1) + 1
        reason = _reason(problem, where, dossier) if problem.overridden else None
        message = without_record_opening(problem.message, where.group, campaign)
        group.entries.append(Entry((*base, n), problem, where, reason, message))
    return list(groups.values())


def _reason(problem: Problem, place: Place, dossier: Dossier | None) -> str | None:
    if dossier is None:
        return None
    overrides: dict[str, str] = dossier.unit.overrides
    if place.record_id is not None and place.page in ("collective", "individual"):
        records: list[Nominee] = dossier.collectives if place.page == "collective" else dossier.individuals
        found = next((r for r in records if r.id == place.record_id), None)
        overrides = found.overrides if found is not None else {}
    return overrides.get(problem.rule) or None


def pending_feedback_text(dossier: Dossier | None, campaign: Campaign) -> str | None:
    """Before a stage that follows a review (初审反馈): a reminder while no nominee has it yet."""
    review = campaign.review()
    if dossier is None or review is None:
        return None
    nominees: list[Nominee] = [*dossier.collectives, *dossier.individuals]
    if not nominees or any(n.feedback for n in nominees):
        return None
    later = next((s.name for k, s in campaign.stages.items() if campaign.review_before(k) is not None), "")
    return (
        f"{review.label}尚未录入:全部 {len(nominees)} 个推荐对象仍为“{review.pending}”。"
        f"收到{review.label}后,请在每个推荐对象的“{review.label}”中选择“{review.kept}”或“{review.dropped}”,"
        f"选“{review.dropped}”的不参加{later}阶段推荐。"
    )


# ---- the model: two levels, updated in place ----------------------------------------------------


class ProblemModel(QAbstractItemModel):
    """Groups at the top level, their entries below. `update` changes only what changed."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[Group] = []
        self._uids = itertools.count(1)
        self._row_of_uid: dict[int, int] = {}

    # ---- reading ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self.groups) else QModelIndex()
        if parent.internalId() != 0 or not 0 <= parent.row() < len(self.groups):
            return QModelIndex()
        group = self.groups[parent.row()]
        return self.createIndex(row, 0, group.uid) if row < len(group.entries) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._row_of_uid.get(index.internalId())
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and 0 <= parent.row() < len(self.groups):
            return len(self.groups[parent.row()].entries)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def entry(self, index: Index) -> Entry | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        row = self._row_of_uid.get(index.internalId())
        if row is None:
            return None
        entries = self.groups[row].entries
        return entries[index.row()] if 0 <= index.row() < len(entries) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            if not 0 <= index.row() < len(self.groups):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.groups[index.row()].text
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        entry = self.entry(index)
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.text
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(entry.colour)
        if role == PROBLEM_ROLE:
            return (entry.problem, entry.place)
        return None

    def find(self, match: Callable[[Entry], bool]) -> QModelIndex:
        for g, group in enumerate(self.groups):
            for n, entry in enumerate(group.entries):
                if match(entry):
                    return self.index(n, 0, self.index(g, 0))
        return QModelIndex()

    def key_of(self, index: Index) -> tuple[Any, ...] | None:
        entry = self.entry(index)
        if entry is not None:
            return ("entry", self.groups[self._row_of_uid[index.internalId()]].key, entry.key)
        if index.isValid() and 0 <= index.row() < len(self.groups):
            return ("group", self.groups[index.row()].key)
        return None

    def index_of_key(self, key: tuple[Any, ...] | None) -> QModelIndex:
        if key is None:
            return QModelIndex()
        for g, group in enumerate(self.groups):
            if group.key != key[1]:
                continue
            if key[0] == "group":
                return self.index(g, 0)
            for n, entry in enumerate(group.entries):
                if entry.key == key[2]:
                    return self.index(n, 0, self.index(g, 0))
        return QModelIndex()

    # ---- updating in place -------------------------------------------------------------------

    def update(self, groups: list[Group]) -> None:
        self._sync(
            QModelIndex(),
            self.groups,
            groups,
            self._adopt_group,
            self._refresh_group,
        )

    def _adopt_group(self, group: Group) -> Group:
        group.uid = next(self._uids)
        return group

    def _refresh_group(self, row: int, old: Group, new: Group) -> None:
        parent = self.index(row, 0)
        shown = old.text
        self._sync(parent, old.entries, new.entries, lambda e: e, self._refresh_entry(parent))
        old.title = new.title
        if old.text != shown:  # the heading: a name typed, or the count changed
            self.dataChanged.emit(parent, parent, [Qt.ItemDataRole.DisplayRole])

    def _refresh_entry(self, parent: QModelIndex) -> Callable[[int, Entry, Entry], None]:
        def refresh(row: int, old: Entry, new: Entry) -> None:
            if not old.same_as(new):
                old.problem, old.place, old.reason = new.problem, new.place, new.reason
                old.message = new.message
                index = self.index(row, 0, parent)
                self.dataChanged.emit(index, index)

        return refresh

    def _sync(
        self,
        parent: QModelIndex,
        current: list[T],
        wanted: list[T],
        adopt: Callable[[T], T],
        refresh: Callable[[int, T, T], None],
    ) -> None:
        """Make `current` (shown under `parent`) hold `wanted`'s keys in `wanted`'s order with the
        fewest row removals, moves and inserts; entries kept are refreshed where they changed."""

        def key(item: Any) -> Any:
            return item.key

        keep = {key(item) for item in wanted}
        for row in reversed(range(len(current))):
            if key(current[row]) not in keep:
                self.beginRemoveRows(parent, row, row)
                del current[row]
                if not parent.isValid():
                    self._reindex()
                self.endRemoveRows()
        for row, item in enumerate(wanted):
            if row < len(current) and key(current[row]) == key(item):
                refresh(row, current[row], item)
                continue
            found = next((j for j in range(row + 1, len(current)) if key(current[j]) == key(item)), None)
            if found is not None:
                self.beginMoveRows(parent, found, found, parent, row)
                current.insert(row, current.pop(found))
                if not parent.isValid():
                    self._reindex()
                self.endMoveRows()
                refresh(row, current[row], item)
            else:
                self.beginInsertRows(parent, row, row)
                current.insert(row, adopt(item))
                if not parent.isValid():
                    self._reindex()
                self.endInsertRows()

    def _reindex(self) -> None:
        self._row_of_uid = {group.uid: row for row, group in enumerate(self.groups)}


# ---- the view: text wrapped to the panel's width ------------------------------------------------


class WrapDelegate(QStyledItemDelegate):
    """Paints an entry's whole text, wrapped to the width the view gives it (never "…")."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def _text_width(self, index: Index) -> int:
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))
        return max(self.view.viewport().width() - indent - 2 * MARGIN, 80)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font) if isinstance(font, QFont) else option.fontMetrics
        width = self._text_width(index)
        bounds = metrics.boundingRect(QRect(0, 0, width, 1_000_000), _WRAP, text)
        return QSize(width + 2 * MARGIN, bounds.height() + 2 * MARGIN)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        if selected:
            painter.setPen(opt.palette.highlightedText().color())
        elif isinstance(brush, QBrush):
            painter.setPen(brush.color())
        else:
            painter.setPen(opt.palette.text().color())
        painter.setFont(opt.font)
        rect = opt.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        painter.drawText(rect, _WRAP | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
        painter.restore()


_WRAP = Qt.TextFlag.TextWordWrap


class ProblemTree(QTreeView):
    """Recomputes the wrapped heights when the panel gets narrower or wider."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setExpandsOnDoubleClick(False)
        self.setItemDelegate(WrapDelegate(self))
        self._width = -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.viewport().width() != self._width:
            self._width = self.viewport().width()
            self.scheduleDelayedItemsLayout()
