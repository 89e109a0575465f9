"""Fuzzing the two readers of files from other machines: the exchange reader and the Excel reader.

Whatever the input, it is either taken (and what was taken can be read back, checked and sent on)
or refused with a Chinese message (UserError) — never another exception — and a refused input
leaves the store byte for byte as it was. Bounded so the suite stays fast.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nominator.campaign import load_campaign
from nominator.domain.checks import check
from nominator.errors import UserError
from nominator.interchange.exchange import import_into_store, write_exchange
from nominator.interchange.intake import apply_intake, read_template
from nominator.store.session import Store, load_dossier
from tests.fixtures.bad.make_corpus import PHOTO_NAME, SHEET, base, filled_template
from tests.photo_corpus import jpeg, portrait

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
CAMPAIGN = load_campaign()
PHOTO = jpeg(portrait())
TEMPLATE = filled_template()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the demo data, copied afresh for every example."""
    from nominator.interchange.demo import build_demo_dossier

    db = tmp_path_factory.mktemp("fuzz") / "pristine.nominator"
    with Store.create(db, campaign=CAMPAIGN.id) as store, store.transaction() as w:
        w.replace_dossier(build_demo_dossier(CAMPAIGN))
    return db


def fresh_copy(pristine: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "s.nominator"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, db)
    return db


def refused_or_taken(attempt: Any, db: Path) -> bool:
    """Run `attempt`; True when it took the input. A refusal must be a Chinese UserError and
    leave `db` unchanged; any other exception fails the test."""
    before = digest(db)
    try:
        attempt()
    except UserError as exc:
        assert CHINESE.search(str(exc)), str(exc)
        assert "\n" not in str(exc).strip()
        assert digest(db) == before
        event(f"refused: {re.sub(r'“[^”]*”', '“…”', str(exc))[:40]}")
        return False
    event("taken")
    return True


def still_sound(db: Path, folder: Path) -> None:
    """What was taken can be read back, checked and sent on."""
    dossier = load_dossier(db)
    for stage in ("initial", "formal"):
        check(dossier, CAMPAIGN, stage)
    again = write_exchange(dossier, folder / "again.zip")
    assert again.is_file()


# ---- the exchange reader --------------------------------------------------------------------------

texts = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(
            ["\x00", "\x01", "\x7f", "\x85", "\u202e", "\ufeff", "\ud800", "\udfff", "..", "/", "\\", ":"]
        ),
    ),
    max_size=20,
).map("".join)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            found += _paths(value, (*prefix, n))
    return found


@st.composite
def mutated_exchanges(draw: st.DrawFn) -> dict[str, Any]:
    """The example exchange file with a few places replaced, removed or added."""
    data = copy.deepcopy(base())
    data["reports"] = {"initial": {"process": "……", "date": "2025-12-20"}}
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = _paths(data)
        place = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if not place:
            if action == "add":
                data[draw(texts)] = draw(values)
            continue
        *parents, last = place
        target: Any = data
        for key in parents:
            target = target[key]
        if action == "remove" and isinstance(target, dict):
            del target[last]
        elif action == "add" and isinstance(target[last], dict):
            target[last][draw(texts)] = draw(values)
        else:
            target[last] = draw(values)
    return data


def _write(data: Any, folder: Path, as_zip: bool) -> Path:
    text = json.dumps(data, ensure_ascii=True, allow_nan=True)  # \ud800 escapes and NaN pass through
    if not as_zip:
        (folder / "photos").mkdir(parents=True, exist_ok=True)
        (folder / PHOTO_NAME).write_bytes(PHOTO)
        path = folder / "交换.json"
        path.write_text(text, encoding="utf-8")
        return path
    path = folder / "交换.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("exchange.json", text)
        zf.writestr(PHOTO_NAME, PHOTO)
    return path


@FUZZ
@given(data=mutated_exchanges(), as_zip=st.booleans())
def test_any_exchange_file_is_taken_or_refused_with_a_message(
    tmp_path: Path, pristine: Path, data: dict[str, Any], as_zip: bool
) -> None:
    folder = tmp_path / "x"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    db = fresh_copy(pristine, folder / "store")
    path = _write(data, folder, as_zip)
    if refused_or_taken(lambda: import_into_store(path, db, replace=True), db):
        still_sound(db, folder)


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=6),
    cut=st.integers(min_value=0),
)
def test_any_damage_to_an_exchange_zip_is_taken_or_refused_with_a_message(
    tmp_path: Path, pristine: Path, flips: list[tuple[int, int]], cut: int
) -> None:
    folder = tmp_path / "z"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    raw = bytearray(_write(base(), folder, as_zip=True).read_bytes())
    for at, mask in flips:
        raw[at % len(raw)] ^= mask
    if cut % 4 == 0:
        raw = raw[: cut % len(raw)]
    path = folder / "坏.zip"
    path.write_bytes(bytes(raw))
    db = fresh_copy(pristine, folder / "store")
    if refused_or_taken(lambda: import_into_store(path, db, replace=True), db):
        still_sound(db, folder)


# ---- the Excel reader -----------------------------------------------------------------------------

cell_xml = st.one_of(
    st.builds(
        lambda v: f"<v>{v}</v>".encode(),
        st.one_of(
            st.integers(min_value=-(10**30), max_value=10**30),
            st.floats(),
            st.sampled_from(["1e400", "-0", "NaN", "abc", "", "9" * 400]),
        ),
    ),
    st.builds(
        lambda t: b'<is><t xml:space="preserve">' + t.encode("ascii", "xmlcharrefreplace") + b"</t></is>",
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30).map(
            lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
        ),
    ),
    st.sampled_from(
        [b"<f>SUM(A1:A9)</f><v>3</v>", b"<v>#DIV/0!</v>", b"<v>1</v>", b"<v>0</v>", b"<bogus/>", b"<v>"]
    ),
)
cell_types = st.sampled_from(
    [b"", b' t="n"', b' t="inlineStr"', b' t="b"', b' t="e"', b' t="str"', b' t="d"', b' t="s"', b' t="zz"']
)
columns = st.sampled_from(["A", "B", "C", "D", "G", "K", "M", "Z", "XFD"])


@st.composite
def mutated_workbooks(draw: st.DrawFn) -> bytes:
    """The filled template with random cells written into the 先进个人 sheet."""
    cells = draw(
        st.lists(
            st.tuples(columns, st.integers(min_value=1, max_value=40), cell_types, cell_xml),
            min_size=1,
            max_size=8,
        )
    )
    rows = b"".join(
        b'<row r="%d"><c r="%s%d"%s>%s</c></row>' % (row, column.encode(), row, kind, inner)
        for column, row, kind, inner in sorted(cells, key=lambda c: c[1])
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(TEMPLATE)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == SHEET:
                data = re.sub(rb"<row r=\"[23]\".*?</row>", b"", data).replace(
                    b"</sheetData>", rows + b"</sheetData>", 1
                )
            zout.writestr(info.filename, data)
    return out.getvalue()


def _taken_workbook(path: Path, db: Path) -> None:
    with Store.open(db, backup_on_open=False) as store:
        preview = read_template(path, CAMPAIGN)
        with store.transaction() as w:
            apply_intake(w, preview, include_invalid=True)


@FUZZ
@given(workbook=mutated_workbooks())
def test_any_workbook_content_is_taken_or_refused_with_a_message(
    tmp_path: Path, pristine: Path, workbook: bytes
) -> None:
    folder = tmp_path / "w"
    shutil.rmtree(folder, ignore_errors=True)
    db = fresh_copy(pristine, folder)
    path = folder / "导入.xlsx"
    path.write_bytes(workbook)
    if refused_or_taken(lambda: _taken_workbook(path, db), db):
        still_sound(db, folder)


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), min_size=1, max_size=6
    )
)
def test_any_damage_to_a_workbook_is_taken_or_refused_with_a_message(
    tmp_path: Path, pristine: Path, flips: list[tuple[int, int]]
) -> None:
    folder = tmp_path / "d"
    shutil.rmtree(folder, ignore_errors=True)
    db = fresh_copy(pristine, folder)
    raw = bytearray(TEMPLATE)
    for at, mask in flips:
        raw[at % len(raw)] ^= mask
    path = folder / "坏.xlsx"
    path.write_bytes(bytes(raw))
    if refused_or_taken(lambda: _taken_workbook(path, db), db):
        still_sound(db, folder)
