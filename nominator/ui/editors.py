"""The editor beside each list: every form field of one record. Each edit is saved on its own
after a short pause (autosave.py: typing never waits for the disk) as one undoable operation."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nominator.campaign import FieldSpec, rows_years
from nominator.domain.checks import phone_example
from nominator.domain.model import Assessment, Nominee, Period
from nominator.errors import UserError
from nominator.operations import Changes, EditRecord, Operation
from nominator.ui.autosave import Autosave
from nominator.ui.document import Document, Record, kind_of
from nominator.ui.fields import Field, editor_groups
from nominator.ui.publicity_row import PublicityRow
from nominator.ui.widgets import (
    EMPTY_CHOICE,
    ChoiceBox,
    DateField,
    LabelledChoice,
    LineField,
    LongText,
    MultiChoice,
    NumberField,
    PhoneField,
    number_suffix,
)


def _value(record: Record, key: str) -> Any:
    """A field's value as stored; a nominee's field not set yet reads as empty."""
    if isinstance(record, Nominee):
        return record.get(key)
    return getattr(record, key)


class RecordEditor(QScrollArea):
    """Edits one record of `kind`; `saving`/`saved` drive the window's 已保存 indicator."""

    saving = Signal()

    def __init__(self, doc: Document, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.kind = doc, kind
        self.record: Record | None = None
        self.widgets: dict[str, QWidget] = {}
        self._rows: dict[str, set[str]] = {}  # a rows field → the years the editor shows
        self.autosave = Autosave(doc, self, self._operation)
        self.autosave.saving.connect(self.saving)
        self.photo_box: QWidget | None = None

        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._build()
        self._layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # Normally everything fits; on a narrow window at 150% a scrollbar beats clipped fields.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setEnabled(False)
        doc.changed.connect(self._on_changed)

    # ---- building ------------------------------------------------------------------------

    def _build(self) -> None:
        review = self.doc.campaign.review()
        self.feedback_box: QGroupBox | None = None
        self.category: LabelledChoice | None = None
        self.level: ChoiceBox | None = None
        spec = self.doc.campaign.kinds[self.kind]
        if spec.categories:
            self._build_category()
        for title, fields in editor_groups(self.doc.campaign, self.kind):
            box = QGroupBox(title)
            if review is not None and title == review.label:
                self.feedback_box = box
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for field in fields:
                widget = self._make(field)
                self.widgets[field.key] = widget
                if field.kind == "check":
                    form.addRow("", widget)
                else:
                    label = QLabel(field.label)
                    limit = self.doc.campaign.limits.get(field.limit) if field.limit else None
                    if limit and field.kind == "line":
                        widget.setToolTip(f"最多{limit}字")
                    label.setBuddy(widget)
                    form.addRow(label, widget)
            if review is not None and title == review.label and review.note:
                hint = QLabel(review.note)
                hint.setWordWrap(True)
                hint.setStyleSheet("color: #555555;")
                form.addRow(hint)
            self._layout.addWidget(box)
        spec = self.doc.campaign.kinds[self.kind]
        for f in spec.fields():
            if f.type == "rows":
                self._build_rows(f)
        if spec.photo is not None:
            self._build_photo()
        if self.kind != "member":
            self._build_attestations()
            self._build_publicity()
        self.set_feedback_first(False)

    def set_feedback_first(self, first: bool) -> None:
        """初审反馈 on top once the formal stage is worked on; at the bottom during first entry."""
        box = self.feedback_box
        if box is None:
            return
        self._layout.removeWidget(box)
        at = 0 if first else self._layout.count()
        last = self._layout.itemAt(self._layout.count() - 1) if self._layout.count() else None
        if not first and last is not None and last.spacerItem() is not None:
            at -= 1  # above the closing stretch
        self._layout.insertWidget(at, box)

    def _build_category(self) -> None:
        """类别 and 级别 first: what a nominee applies as decides which rules and fields apply.
        The levels offered are the chosen category's."""
        spec = self.doc.campaign.kinds[self.kind]
        box = QGroupBox("申报类别")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.category = LabelledChoice({"": EMPTY_CHOICE, **{c.id: c.label for c in spec.categories}})
        self.category.setMaxVisibleItems(20)
        self.level = ChoiceBox(spec.levels)
        self.category.edited.connect(self._category_chosen)
        self.level.edited.connect(self._edited)
        for label, widget in (("类别", self.category), ("级别", self.level)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.widgets["category"] = self.category
        self.widgets["level"] = self.level
        self._layout.addWidget(box)

    def _offer_levels(self) -> None:
        if self.category is None or self.level is None:
            return
        spec = self.doc.campaign.kinds[self.kind]
        chosen = self.category.value()
        self.level.set_choices(spec.levels_of(chosen) if chosen else spec.levels)

    def _category_chosen(self) -> None:
        self._offer_levels()
        assert self.level is not None
        levels = self.doc.campaign.kinds[self.kind].levels_of(self.category.value() if self.category else "")
        if len(levels) == 1:  # a category awarded at one level: that level
            self.level.set_value(levels[0])
        self._edited()

    def feedback_is_first(self) -> bool:
        return self.feedback_box is not None and self._layout.indexOf(self.feedback_box) == 0

    def _make(self, field: Field) -> QWidget:
        limit = self.doc.campaign.limits.get(field.limit) if field.limit else None
        widget: Any
        if field.kind == "choice":
            widget = ChoiceBox(field.choices)
        elif field.kind == "labelled":
            widget = LabelledChoice(dict(field.labels))
        elif field.kind == "text":
            widget = LongText(limit, field.lines)
        elif field.kind == "date":
            widget = DateField(field.placeholder)
        elif field.kind == "number":
            widget = NumberField(number_suffix(field.label))
        elif field.kind == "multichoice":
            widget = MultiChoice(field.choices)
        elif field.kind == "phone":
            widget = PhoneField(field.placeholder, phone_example(self.doc.campaign))
        elif field.kind == "check":
            widget = QCheckBox(f"属于{field.label}")
            widget.toggled.connect(lambda _c: self._edited())
            return widget  # type: ignore[no-any-return]
        else:
            widget = LineField(field.placeholder, limit)
        widget.edited.connect(self._edited)
        return widget  # type: ignore[no-any-return]

    def _build_rows(self, field: FieldSpec) -> None:
        """A rows field (近三年考核): a choice per year its rule asks about."""
        box = QGroupBox(field.label)
        form = QFormLayout(box)
        for year in rows_years(self.doc.campaign.rules, field.id):
            combo = ChoiceBox(field.choices)
            combo.edited.connect(self._edited)
            self.widgets[f"{field.id}.{year}"] = combo
            form.addRow(f"{year}年度", combo)
        self._rows[field.id] = {str(y) for y in rows_years(self.doc.campaign.rules, field.id)}
        self._layout.addWidget(box)

    def _build_attestations(self) -> None:
        wordings = self.doc.campaign.kinds[self.kind].attestations
        box = QGroupBox("资格承诺(请逐项核实后勾选)")
        layout = QVBoxLayout(box)
        for key, wording in wordings.items():
            check = QCheckBox(wording)
            check.toggled.connect(lambda _c: self._edited())
            self.widgets[f"attestations.{key}"] = check
            layout.addWidget(check)
        self._layout.addWidget(box)

    def _build_publicity(self) -> None:
        for level, spec in self.doc.campaign.publicity.levels.items():
            box = QGroupBox(f"{spec.label}({self.doc.campaign.publicity.working_days}个工作日)")
            row = PublicityRow(self.doc)
            row.edited.connect(self._edited)
            QVBoxLayout(box).addWidget(row)
            self.widgets[f"publicity.{level}"] = row
            self._layout.addWidget(box)

    def _build_photo(self) -> None:
        from nominator.ui.photo_box import PhotoBox

        box = QGroupBox(f"照片({self.doc.campaign.photo.size_name}白底证件照,JPG)")
        self.photo_box = PhotoBox(self.doc, self)
        QVBoxLayout(box).addWidget(self.photo_box)
        self.widgets["photo"] = self.photo_box
        self._layout.addWidget(box)

    # ---- loading and saving ----------------------------------------------------------------

    @property
    def record_id(self) -> int | None:
        return self.record.id if self.record is not None else None

    def load(self, record_id: int | None) -> None:
        self.flush()
        if record_id is None:
            self.record = None
            self.setEnabled(False)
            self._fill(self._blank())
            return
        try:
            self.record = self.doc.get(self.kind, record_id)
        except UserError:
            self.record = None
            self.setEnabled(False)
            return
        self.setEnabled(True)
        changed = self.record.id != getattr(self, "_shown_id", None)
        self._shown_id = self.record.id
        self._fill(self.record)
        if changed:  # another record (新增, a click in the list): start at its top
            self.verticalScrollBar().setValue(0)
            self.horizontalScrollBar().setValue(0)

    def _blank(self) -> Record:
        from nominator.ui.document import new_record

        blank: Record = new_record(self.kind)
        return blank

    def _fill(self, record: Record) -> None:
        with self.autosave.filling():
            if self.category is not None:  # the levels of the record's category, before its level
                self.category.set_value(str(_value(record, "category") or ""))
                self._offer_levels()
            for key, widget in self.widgets.items():
                self._set(key, widget, record)

    def _set(self, key: str, widget: QWidget, record: Record) -> None:
        head, _, rest = key.partition(".")
        if head in self._rows and isinstance(record, Nominee):
            rows = record.get(head) or []
            found = next((a.result for a in rows if isinstance(a, Assessment) and str(a.year) == rest), "")
            assert isinstance(widget, ChoiceBox)
            widget.set_value(found)
        elif key.startswith("attestations."):
            assert isinstance(widget, QCheckBox)
            widget.setChecked(bool(getattr(record, "attestations", {}).get(key.split(".")[1])))
        elif key.startswith("publicity."):
            assert isinstance(widget, PublicityRow)
            widget.set_value(getattr(record, "publicity", {}).get(key.split(".")[1], Period()))
        elif key == "photo":
            from nominator.ui.photo_box import PhotoBox

            assert isinstance(widget, PhotoBox)
            widget.show_record(record if isinstance(record, Nominee) else None)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(_value(record, key)))
        elif isinstance(widget, NumberField):
            widget.set_number(_value(record, key))
        elif isinstance(widget, MultiChoice):
            widget.set_value(_value(record, key))
        elif isinstance(widget, ChoiceBox | LabelledChoice | LineField | DateField | LongText):
            widget.set_value(str(_value(record, key) or ""))

    def collect(self) -> Record:
        """The record as the widgets show it now."""
        assert self.record is not None
        record = copy.deepcopy(self.record)
        typed: dict[str, list[Assessment]] = {head: [] for head in self._rows}
        for key, widget in self.widgets.items():
            head, _, rest = key.partition(".")
            if head in self._rows:
                assert isinstance(widget, ChoiceBox)
                if widget.value():
                    typed[head].append(Assessment(int(rest), widget.value()))
            elif key.startswith("attestations."):
                assert isinstance(widget, QCheckBox)
                getattr(record, "attestations")[key.split(".")[1]] = widget.isChecked()  # noqa: B009
            elif key.startswith("publicity."):
                assert isinstance(widget, PublicityRow)
                period = widget.value()
                publicity = getattr(record, "publicity")  # noqa: B009
                if period.is_empty():
                    publicity.pop(key.split(".")[1], None)
                else:
                    publicity[key.split(".")[1]] = period
            elif key == "photo":
                continue
            elif isinstance(widget, QCheckBox):
                setattr(record, key, widget.isChecked())
            elif isinstance(widget, NumberField):
                setattr(record, key, widget.number())
            elif isinstance(
                widget, ChoiceBox | LabelledChoice | LineField | DateField | LongText | MultiChoice
            ):
                setattr(record, key, widget.value())
        if isinstance(record, Nominee):
            for head, rows in typed.items():  # years the campaign does not ask about are kept
                kept = [
                    a for a in record.get(head) or [] if str(getattr(a, "year", "")) not in self._rows[head]
                ]
                record.values[head] = sorted(
                    kept + rows, key=lambda a: a.year if isinstance(a.year, int) else 0
                )
        return record

    def _edited(self) -> None:
        if self.record is not None:
            self.autosave.edited()

    def has_pending(self) -> bool:
        return self.autosave.dirty

    def flush(self) -> None:
        self.autosave.flush()

    def _operation(self) -> Operation | None:
        """What the widgets hold, as the operation that stores it (None: nothing changed)."""
        if self.record is None:
            return None
        new = self.collect()
        if new == self.record:
            return None
        return self._edit(new)

    def _edit(self, new: Record) -> Operation:
        self.record = copy.deepcopy(new)
        return EditRecord(kind_of(self.kind), new).named(f"修改{self.doc.label(self.kind)}")

    def save(self, new: Record) -> None:
        """Store `new` now as one undoable edit (the photo box uses this directly)."""
        self.autosave.save(self._edit(new))

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        record_id = self.record_id
        if record_id is None or not changes.touches_record(self.kind, record_id):
            return
        if changes.touches_list(self.kind) and record_id not in self.doc.ids(self.kind):
            self.autosave.discard()  # deleted (an undo of its 新增, an import undone)
            self.load(None)
            return
        if not self.autosave.should_reload(initiator):
            return
        fresh = self.doc.get(self.kind, record_id)
        if fresh != self.record:  # changed elsewhere (undo, redo, accepted warning)
            self.record = fresh
            self._fill(fresh)

    def focus_field(self, path: str) -> QWidget | None:
        """Focus the widget for a checker path such as `birth_date` or `publicity.unit`."""
        widget = self.widgets.get(path)
        if widget is None:
            parts = path.split(".")
            widget = self.widgets.get(".".join(parts[:2])) or self.widgets.get(parts[0])
        if widget is None:
            return None
        target = widget
        if isinstance(widget, PublicityRow):
            target = widget.end if widget.start.value() else widget.start
        self.ensureWidgetVisible(target, 50, 80)
        self.horizontalScrollBar().setValue(0)  # labels stay in view on a narrow window
        if isinstance(target, DateField):
            target.line.setFocus(Qt.FocusReason.OtherFocusReason)
            return target.line
        if isinstance(target, LongText):
            target.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return target.edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(target, QLineEdit):
            target.selectAll()
        return target


__all__ = ["PublicityRow", "RecordEditor"]
