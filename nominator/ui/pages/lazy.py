"""The window's pages, each made the first time it is wanted (shown, gone to, asked for).

A province's store has hundreds of records: building every list and editor before the window's
first paint made the clerk wait for pages she may not open. The stack holds an empty stand-in
for each page until then; asking for a page (`pages[key]`) makes it at once, in the stand-in's
place, so a list opened is filled when it is first shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from PySide6.QtWidgets import QStackedWidget, QWidget


class LazyPages(Mapping[str, QWidget]):
    def __init__(self, stack: QStackedWidget, keys: Sequence[str], make: Callable[[str], QWidget]) -> None:
        self._stack = stack
        self._keys = list(keys)
        self._make = make
        self._built: dict[str, QWidget] = {}
        self._stand_ins: dict[str, QWidget] = {}
        for key in self._keys:
            stand_in = QWidget()
            self._stand_ins[key] = stand_in
            stack.addWidget(stand_in)

    def __getitem__(self, key: str) -> QWidget:
        page = self._built.get(key)
        if page is not None:
            return page
        stand_in = self._stand_ins.get(key)
        if stand_in is None:
            raise KeyError(key)
        page = self._make(key)
        self._built[key] = page
        del self._stand_ins[key]
        showing = self._stack.currentWidget() is stand_in
        self._stack.insertWidget(self._stack.indexOf(stand_in), page)
        if showing:
            self._stack.setCurrentWidget(page)
        self._stack.removeWidget(stand_in)
        stand_in.deleteLater()
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def built(self) -> list[QWidget]:
        """The pages made so far, in the navigation's order (what a change of stage, a shutdown
        or a rebuild has to reach; a page not made yet reads everything when it is)."""
        return [self._built[key] for key in self._keys if key in self._built]

    def key_of(self, widget: QWidget | None) -> str | None:
        return next((key for key, page in self._built.items() if page is widget), None)

    def clear(self) -> None:
        """Take every page and stand-in out of the stack (they are deleted)."""
        for widget in [*self._built.values(), *self._stand_ins.values()]:
            self._stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self._stand_ins.clear()
        self._keys.clear()
