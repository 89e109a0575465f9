"""Small input widgets shared by the editors: each shows a value as the clerk typed it and emits
`edited` only for the clerk's own changes (never when the program fills it in)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from nominator.campaign import WorkdayOverrides
from nominator.domain.checks import LANDLINE, MOBILE
from nominator.domain.model import date_problem, parse_date
from nominator.domain.workdays import is_workday

EMPTY_CHOICE = "(请选择)"
HOLIDAY, ADJUSTED_WORKDAY = "#fde2e1", "#dbe9f6"


class ChoiceBox(QComboBox):
    """A drop-down over a fixed list; a stored value outside the list is kept and shown."""

    edited = Signal()

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.addItem(EMPTY_CHOICE, "")
        for choice in choices:
            self.addItem(choice, choice)
        self.setMaxVisibleItems(20)
        self.activated.connect(lambda _i: self.edited.emit())

    def value(self) -> str:
        return str(self.currentData() or "")

    def set_value(self, value: str) -> None:
        at = self.findData(value)
        if at < 0:
            self.addItem(value, value)  # an imported value we do not list: keep it visible
            at = self.count() - 1
        self.setCurrentIndex(at)

    def set_choices(self, choices: tuple[str, ...]) -> None:
        """Offer other choices (the levels of another category); the value is kept when it is
        one of them, else nothing is chosen."""
        if choices == self._choices and self.count() == len(choices) + 1:
            return
        keep = self.value()
        self._choices = choices
        self.blockSignals(True)
        self.clear()
        self.addItem(EMPTY_CHOICE, "")
        for choice in choices:
            self.addItem(choice, choice)
        self.setCurrentIndex(max(self.findData(keep), 0))
        self.blockSignals(False)


class MultiChoice(QWidget):
    """Several of a fixed list (往届所获荣誉): a list of check boxes, the chosen ones said below it.
    The value is the chosen strings in the list's order; a stored value the list does not hold is
    kept and shown, ticked, at the end."""

    edited = Signal()
    ROWS = 8  # the list's height in rows; a longer list scrolls

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        self._filling = False
        self._add_items(choices)
        row = self.list.sizeHintForRow(0) if choices else self.list.fontMetrics().height() + 4
        self.list.setFixedHeight(row * min(max(len(choices), 1), self.ROWS) + 2 * self.list.frameWidth() + 2)
        self.list.itemChanged.connect(self._changed)
        self.list.itemActivated.connect(self._toggle)  # Enter or a double-click on the words
        self.chosen = QLabel(self)
        self.chosen.setWordWrap(True)
        self.chosen.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addWidget(self.chosen)
        self.setFocusProxy(self.list)
        self._say()

    def _add_items(self, values: tuple[str, ...] | list[str]) -> None:
        for text in values:
            item = QListWidgetItem(text, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

    def _items(self) -> list[QListWidgetItem]:
        return [item for n in range(self.list.count()) if (item := self.list.item(n)) is not None]

    def value(self) -> list[str]:
        return [item.text() for item in self._items() if item.checkState() == Qt.CheckState.Checked]

    def set_value(self, value: list[str] | tuple[str, ...] | str | None) -> None:
        wanted = [value] if isinstance(value, str) and value else list(value or ())
        self._filling = True
        for item in self._items()[len(self._choices) :]:  # the last record's own values
            self.list.takeItem(self.list.row(item))
        self._add_items([v for v in wanted if v not in self._choices])
        for item in self._items():
            checked = item.text() in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._filling = False
        ticked = [item for item in self._items() if item.checkState() == Qt.CheckState.Checked]
        if ticked:  # the first chosen one in view, not only said below the list
            self.list.scrollToItem(ticked[0], QListWidget.ScrollHint.PositionAtTop)
        else:
            self.list.scrollToTop()
        self._say()

    def check(self, text: str, checked: bool = True) -> None:
        """Tick (or untick) a choice as the clerk would."""
        for item in self._items():
            if item.text() == text:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _toggle(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _changed(self, _item: QListWidgetItem) -> None:
        if self._filling:
            return
        self._say()
        self.edited.emit()

    def _say(self) -> None:
        chosen = self.value()
        self.chosen.setText(f"已选 {len(chosen)} 项:{'、'.join(chosen)}" if chosen else "未选择(可多选)")


class LabelledChoice(QComboBox):
    """A drop-down whose stored values differ from what the clerk reads (e.g. kept → 保留)."""

    edited = Signal()

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value, label in labels.items():
            self.addItem(label, value)
        self.activated.connect(lambda _i: self.edited.emit())

    def value(self) -> str:
        return str(self.currentData() or "")

    def set_value(self, value: str) -> None:
        at = self.findData(value)
        if at < 0:
            self.addItem(value, value)
            at = self.count() - 1
        self.setCurrentIndex(at)


class LineField(QLineEdit):
    edited = Signal()

    def __init__(
        self, placeholder: str = "", limit: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.limit = limit
        self.textEdited.connect(lambda _t: self.edited.emit())

    def value(self) -> str:
        return self.text()

    def set_value(self, value: str) -> None:
        self.setText(value)

    def minimumSizeHint(self) -> QSize:
        """Never narrower than its example: a clipped hint reads as a different example."""
        hint = super().minimumSizeHint()
        if self.placeholderText():
            room = self.fontMetrics().horizontalAdvance(self.placeholderText()) + PLACEHOLDER_MARGIN
            hint.setWidth(max(hint.width(), room))
        return hint

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setWidth(max(hint.width(), self.minimumSizeHint().width()))
        return hint


PLACEHOLDER_MARGIN = 16  # the frame and text margins a QLineEdit keeps around its text


def phone_problem(phone: str, example: str = "") -> str | None:
    """The checker's own rule (V2), said while typing: landline with area code, or a mobile."""
    value = phone.strip().replace(" ", "")
    if not value or LANDLINE.match(value) or MOBILE.match(value):
        return None
    landline = f"带区号的固定电话(如{example})" if example else "带区号的固定电话"
    return f"电话“{phone.strip()}”格式不对,请填写{landline}或11位手机号。"


class PhoneField(LineField):
    """A phone number, outlined in red with the reason once the clerk leaves a wrong one."""

    def __init__(self, placeholder: str, example: str = "", parent: QWidget | None = None) -> None:
        super().__init__(placeholder, None, parent)
        self.example = example
        self.editingFinished.connect(self._mark)
        self.textEdited.connect(lambda _t: self._mark() if not self.problem() else None)

    def problem(self) -> str | None:
        return phone_problem(self.text(), self.example)

    def set_value(self, value: str) -> None:
        super().set_value(value)
        self._mark()

    def _mark(self) -> None:
        problem = self.problem()
        self.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }" if problem else "")
        self.setToolTip(problem or "")


def number_suffix(label: str) -> str:
    """The unit a number field counts in, from its label: 在编人数 → 人, 工作年限 → 年."""
    if label.endswith("人数"):
        return "人"
    if label.endswith("年限") or label.endswith("年数"):
        return "年"
    return ""


class NumberField(QSpinBox):
    """A whole number; 0 shows as 未填写 and means "not filled in"."""

    edited = Signal()

    def __init__(self, suffix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 99999)
        self.setSpecialValueText("未填写")
        self.setSuffix(suffix)
        self.valueChanged.connect(lambda _v: self.edited.emit() if not self.signalsBlocked() else None)

    def number(self) -> int | None:
        return self.value() or None

    def set_number(self, value: int | None) -> None:
        self.blockSignals(True)
        self.setValue(value or 0)
        self.blockSignals(False)


class DateField(QWidget):
    """A date typed as YYYY-MM-DD, with a calendar to pick from; keeps what was typed."""

    edited = Signal()

    def __init__(self, placeholder: str = "例:年-月-日", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(placeholder)
        self.line.textEdited.connect(self._typed)
        self.button = QToolButton(self)
        self.button.setText("日历")
        self.button.setToolTip("从日历中选择日期")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        self.calendar.currentPageChanged.connect(self._mark_month)
        self.legend = QLabel(
            "<span style='background:#fde2e1;color:#c0392b'>&nbsp;休&nbsp;</span> 法定节假日 "
            "<span style='background:#dbe9f6'>&nbsp;班&nbsp;</span> 调休上班(周末上班)"
        )
        self.legend.setContentsMargins(6, 2, 6, 4)
        self._workdays: WorkdayOverrides | None = None
        popup = QWidget()
        box = QVBoxLayout(popup)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.calendar)
        box.addWidget(self.legend)
        self.legend.hide()
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(popup)
        menu.addAction(action)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def value(self) -> str:
        return self.line.text().strip()

    def set_value(self, value: str) -> None:
        self.line.setText(value)
        self._mark()

    def _typed(self, _text: str) -> None:
        self._mark()
        self.edited.emit()

    def _mark(self) -> None:
        problem = self.problem()
        self.line.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }" if problem else "")
        self.line.setToolTip(problem or "")

    def problem(self) -> str | None:
        """What is wrong with the date as typed (format, or a day that does not exist)."""
        example = self.line.placeholderText().removeprefix("例:")
        if not any(ch.isdigit() for ch in example):
            example = dt.date.today().isoformat()
        return date_problem(self.value(), example)

    def set_workdays(self, overrides: WorkdayOverrides) -> None:
        """Mark holidays and 调休 working weekends in the calendar (the same days the program
        counts publicity periods with, rule P3)."""
        self._workdays = overrides
        self.legend.show()
        self._mark_month(self.calendar.yearShown(), self.calendar.monthShown())

    def _mark_month(self, year: int, month: int) -> None:
        if self._workdays is None:
            return
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # forget the last month's marks
        first = dt.date(year, month, 1)
        for offset in range(-7, 45):  # the grid shows a few days of the months around it
            day = first + dt.timedelta(days=offset)
            working = is_workday(day, self._workdays, set())
            weekend = day.weekday() >= 5
            if working == (not weekend):
                continue
            mark = QTextCharFormat()
            mark.setFontWeight(QFont.Weight.Bold)
            if working:
                mark.setBackground(QColor(ADJUSTED_WORKDAY))
                mark.setForeground(QColor("#000000"))
                mark.setToolTip("调休上班")
            else:
                mark.setBackground(QColor(HOLIDAY))
                mark.setForeground(QColor("#c0392b"))
                mark.setToolTip("法定节假日")
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), mark)

    def _prepare_calendar(self) -> None:
        day = parse_date(self.value())
        if day is not None:
            self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._mark_month(self.calendar.yearShown(), self.calendar.monthShown())

    def _picked(self, date: QDate) -> None:
        self.line.setText(date.toString("yyyy-MM-dd"))
        self._mark()
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
        self.edited.emit()


class LongText(QWidget):
    """A multi-line text with a character counter showing the limit from the campaign (V3)."""

    edited = Signal()

    def __init__(self, limit: int | None, lines: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        height = self.edit.fontMetrics().lineSpacing() * lines + 12
        self.edit.setMinimumHeight(height)
        self.edit.setMaximumHeight(height * 2)
        self.counter = QLabel(self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.counter)
        self._loading = False
        self.edit.textChanged.connect(self._changed)
        self.setFocusProxy(self.edit)
        self._count()

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: str) -> None:
        if value == self.value():
            return
        self._loading = True
        self.edit.setPlainText(value)
        self._loading = False
        self._count()

    def _changed(self) -> None:
        self._count()
        if not self._loading:
            self.edited.emit()

    def _count(self) -> None:
        n = len(self.value().strip())
        if self.limit is None:
            self.counter.setText(f"{n} 字")
            return
        over = n > self.limit
        self.counter.setText(f"{n} / {self.limit} 字" + (f"(超出 {n - self.limit} 字)" if over else ""))
        self.counter.setStyleSheet("color: #c0392b; font-weight: bold;" if over else "color: #555555;")
