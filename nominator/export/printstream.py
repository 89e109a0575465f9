# Over 500 lines: docxcompose's insert re-written to stream, kept whole so it can be read beside docxcompose
# line by line.
"""The print set written while the documents are rendered, in one pass.

`printset.compose_print_set` reads every finished file back, opens them all with python-docx
and joins them with docxcompose: the whole stage in memory at once (624 MiB for 801
documents) and each document parsed twice. `PrintSetWriter` takes each document as it is
rendered, applies what docxcompose and compose_print_set do to it (section break, styles,
pictures, footers, ids, element order) and writes its part of the body out, compressed, before
the next one comes: memory stays what one document needs plus the pictures.

The result is the same file, byte for byte in every part (tests/export/test_printstream.py
compares both ways). What this writer does not model — numbering, footnotes, custom document
properties, embedded objects, a template of several sections — makes it step aside
(`failed` says why), and the caller joins the files the old way.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import secrets
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser, parse_xml
from docx.parts.image import ImagePart
from docx.section import Section
from lxml import etree

from nominator.export.fit import pictures_without_gap
from nominator.export.ooxml import put_in_schema_order
from nominator.export.printset import (
    _FOOTER_TYPES as FOOTER_TYPES,
)
from nominator.export.printset import (
    PrintItem,
    _blank_footer,
    _end_with_section_break,
    _page_footer,
    _set_page_start,
    _set_section_type,
)

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}
W = f"{{{NS['w']}}}"
R_ID, R_EMBED, R_LINK = qn("r:id"), qn("r:embed"), qn("r:link")
_SECTIONS = etree.XPath("./w:p/w:pPr/w:sectPr | ./w:sectPr", namespaces=NS)  # python-docx's sectPr_lst
_BREAK = etree.XPath("./w:pPr/w:sectPr", namespaces=NS)
_STYLE_REFS = etree.XPath(".//w:tblStyle|.//w:pStyle|.//w:rStyle", namespaces=NS)
_BLIPS = etree.XPath("(.//a:blip|.//asvg:svgBlip)[@r:embed]", namespaces=NS)
_WITH_RID = etree.XPath(".//*[@r:id]", namespaces=NS)
_UNMODELLED = etree.XPath(
    ".//w:numId|.//w:footnoteReference|.//w:endnoteReference|.//dgm:relIds|.//v:imagedata|.//*[@r:link]",
    namespaces=NS,
)
_BOOKMARK_START, _BOOKMARK_END = f"{W}bookmarkStart", f"{W}bookmarkEnd"
_DOCPR = f"{{{NS['wp']}}}docPr"
_CNVPR = f"{{{NS['pic']}}}cNvPr"
_IGNORED_RELTYPES = {RT.IMAGE, RT.HEADER, RT.FOOTER}  # docxcompose: REFERENCED_PARTS_IGNORED_RELTYPES
_BLANKS = re.compile(rb">[ \t\n]+<")
# python-docx's CT_SectPr: the children a new header/footer reference is inserted before, in the
# order it looks for them (first found wins, whatever the order in the file)
_REFERENCE_SUCCESSORS = (
    "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders",
    "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
    "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip


class NotStreamable(Exception):
    """The document holds something this writer does not model; the old join is used."""


@dataclass(frozen=True)
class ImageFacts:
    sha1: str
    blob: bytes
    filename: str  # as docxcompose's ImageWrapper reads it from the part
    content_type: str


@dataclass
class Source:
    """One document to append: its w:document element (the body as python-docx would have
    parsed the saved file), its styles, and what its relationship ids point at."""

    root: Any
    styles: Any  # python-docx Styles
    reltypes: dict[str, str]  # rId → relationship type of the document part
    image: Callable[[str], ImageFacts]
    document: Callable[[], Any]  # the python-docx Document, for the first one (the master)
    has_custom_properties: bool = False

    @property
    def body(self) -> Any:
        return self.root.find(f"{W}body")


def source_of_document(document: Any) -> Source:
    """A python-docx Document as a Source."""
    part = document.part
    facts: dict[str, ImageFacts] = {}

    def image(rid: str) -> ImageFacts:
        if rid not in facts:
            target = part.rels[rid].target_part
            facts[rid] = ImageFacts(target.sha1, target.blob, target.filename, target.content_type)
        return facts[rid]

    return Source(
        document.element,
        document.styles,
        {rid: rel.reltype for rid, rel in part.rels.items()},
        image,
        lambda: document,
        has_custom_properties=_has_custom_properties(part.package),
    )


def _has_custom_properties(package: Any) -> bool:
    return any(rel.reltype == RT.CUSTOM_PROPERTIES for rel in package.rels.values())


def strip_blanks_like_parser(root: Any, xml: bytes, pictures: int, runs_per_picture: int) -> Any:
    """The tree python-docx gets when it parses `xml` (the serialisation of `root`): its parser
    drops the whitespace between tags. The only such whitespace in a rendered form is inside the
    pictures python-docx printed with indentation; where there is any other (or a carriage
    return), the XML is parsed again, which is exact by definition."""
    if b"&#13;" not in xml and len(_BLANKS.findall(xml)) == runs_per_picture * pictures:
        for inline in root.iter(f"{{{NS['wp']}}}inline"):
            for element in inline.iter():
                if len(element) and element.text is not None and not element.text.strip(" \t\n"):
                    element.text = None
                for child in element:
                    if child.tail is not None and not child.tail.strip(" \t\n"):
                        child.tail = None
        return root
    return etree.fromstring(xml, oxml_parser)


class PrintSetWriter:
    """Join documents, in order, into one .docx at `out` — as compose_print_set does."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.failed: str | None = None
        self.count = 0
        self._pending: tuple[PrintItem, Source] | None = None
        self._master: Any = None  # python-docx Document of the first document
        self._chunks: list[bytes] = []  # the body, serialised and compressed, in order
        self._nonce = secrets.token_hex(8)
        self._tokens: dict[str, tuple[int, str]] = {}  # placeholder → (setup, footer type)
        self._setups: list[tuple[bool, list[tuple[str, str]], list[str]]] = []
        self._shared: dict[bool, list[tuple[str, str]]] = {}
        self._bookmarks = [0, 0]
        self._docpr = 1
        self._cnvpr = 1
        self._images: dict[str, tuple[Any, str]] = {}  # sha1 → (image part, rId) in the master
        self._free_rids: list[int] = []
        self._image_numbers: set[int] = set()
        self._next_image = 1  # no free image number below this one
        self._prefix = self._suffix = b""
        self._style_names: dict[int, dict[str, str]] = {}
        self._master_style_cache: tuple[set[str], dict[str, str]] | None = None
        self._last_sect: Any = None
        self._numbered: dict[int, tuple[Any, dict[str, bool]]] = {}  # id(styles) → (styles, answers)

    # ---- feeding ------------------------------------------------------------------------

    def add(self, item: PrintItem, source: Callable[[], Source]) -> None:
        """The next document. `source` is called at once (while the document is at hand);
        nothing is kept of it once the next one has come."""
        self.count += 1
        if self.failed:
            return
        try:
            got = source()
            self._check(got)
            if self._pending is not None:
                self._take(*self._pending, last=False)
            self._pending = (item, got)
        except NotStreamable as exc:
            self.failed = str(exc)
            self._pending = None

    def close(self) -> None:
        """Write the file (unless `failed`: then nothing is written)."""
        if self.failed:
            return
        if self._pending is None:
            raise ValueError("nothing to print")
        try:
            self._take(*self._pending, last=True)
        except NotStreamable as exc:
            self.failed = str(exc)
            return
        self._pending = None
        self._write()

    # ---- what is modelled ---------------------------------------------------------------

    def _check(self, source: Source) -> None:
        body = source.body
        if source.has_custom_properties:
            raise NotStreamable("custom document properties")
        if len(_SECTIONS(body)) != 1:
            raise NotStreamable("a document of several sections")
        if _UNMODELLED(body):
            raise NotStreamable("numbering, notes, diagrams, VML pictures or linked pictures")
        for element in _WITH_RID(body):
            if source.reltypes.get(element.get(R_ID)) not in (RT.HEADER, RT.FOOTER):
                raise NotStreamable("a relationship other than a header, footer or picture")
        for element in _STYLE_REFS(body):
            if self._numbered_style(source.styles, element.get(f"{W}val")):
                raise NotStreamable("a numbered style")

    def _numbered_style(self, styles: Any, style_id: str) -> bool:
        """Whether the style `style_id` of `styles` holds a numbering: looked up once per
        style of a template, not for every reference in every document made from it. The
        styles are held with their answers, so their id() names no other styles later."""
        held, answers = self._numbered.get(id(styles), (None, {}))
        if held is not styles:
            answers = {}
            self._numbered[id(styles)] = (styles, answers)
        if style_id not in answers:
            style = styles.element.get_by_id(style_id)
            answers[style_id] = style is not None and style.find(f".//{W}numId") is not None
        return answers[style_id]

    # ---- one document -------------------------------------------------------------------

    def _take(self, item: PrintItem, source: Source, *, last: bool) -> None:
        first = self._master is None
        document = source.document() if first else None
        root = document.element if document is not None else source.root
        body = root.find(f"{W}body")
        sect = body.find(f"{W}sectPr")
        if last and not first and item.duplex and sect is not None:
            _set_section_type(sect, "oddPage")
        if not last:
            _end_with_section_break(
                SimpleNamespace(element=SimpleNamespace(body=body)), "oddPage" if item.duplex else "nextPage"
            )
        if document is not None:
            self._start(document)
            elements = list(body)
        else:
            elements = self._append(source)
            if last and sect is not None:
                elements.append(copy.deepcopy(sect))  # compose_print_set: the last set-up closes the body
        for element in elements:
            if element.tag == f"{W}sectPr":
                self._footers(item, element)
            elif element.tag == f"{W}p":
                for found in _BREAK(element):
                    self._footers(item, found)
        self._flush(elements)

    def _start(self, document: Any) -> None:
        """The first document is the master, as compose_print_set opens it."""
        self._master = document
        part = document.part
        for rid, rel in part.rels.items():
            if rel.reltype == RT.IMAGE and not rel.is_external:
                self._images.setdefault(rel.target_part.sha1, (rel.target_part, rid))
        used = {int(r[3:]) for r in part.rels if r.startswith("rId") and r[3:].isdigit()}
        self._free_rids = [n for n in range(1, len(part.rels) + 100_000) if n not in used][::-1]
        self._image_numbers = {p.partname.idx for p in part.package.image_parts}
        self._prefix, self._suffix = body_frame(document)

    def _append(self, source: Source) -> list[Any]:
        """docxcompose's Composer.insert for one document: its elements moved (or, where its
        namespaces differ, copied) into the master, styles, pictures and references fixed."""
        master_body = self._master.element.body
        own = dict(source.root.nsmap)
        moved = all(self._master.element.nsmap.get(k) == v for k, v in own.items())
        names = self._names(source.styles)
        # docxcompose maps style ids through the master's names as they were when the
        # document's insertion began (_create_style_id_mapping), ids as they are now
        by_name = self._master_styles()[1]
        added = []
        for element in list(source.body):
            if element.tag == f"{W}sectPr":
                continue
            if not moved:
                element = copy.deepcopy(element)
            master_body.append(element)
            self._styles(source, element, names, by_name)
            self._pictures(source, element)
            for ref in element.iter(f"{W}headerReference", f"{W}footerReference"):
                ref.getparent().remove(ref)
            added.append(element)
        return added

    def _names(self, styles: Any) -> dict[str, str]:
        found = self._style_names.get(id(styles))
        if found is None:
            found = {s.style_id: s.name for s in styles}
            self._style_names[id(styles)] = found
        return found

    def _styles(self, source: Source, element: Any, names: dict[str, str], by_name: dict[str, str]) -> None:
        """docxcompose's add_styles (styles are not preserved): a style the master lacks is
        copied over; one it has under another id is referred to by the master's id."""
        refs = _STYLE_REFS(element)
        if not refs:
            return
        used = list(OrderedDict.fromkeys(e.get(f"{W}val") for e in refs))
        for style_id in used:
            ours = self._master_styles()[0]
            our_id = by_name.get(names[style_id], style_id) if style_id in names else style_id
            if our_id not in ours:
                found = source.styles.element.get_by_id(style_id)
                if found is not None:
                    copied = copy.deepcopy(found)
                    self._master.styles.element.append(copied)
                    self._master_style_cache = None
                    self._linked_style(source, copied, names, by_name)
            if our_id != style_id and our_id is not None:
                for ref in _STYLE_REFS(element):
                    if ref.get(f"{W}val") == style_id:
                        ref.set(f"{W}val", our_id)

    def _master_styles(self) -> tuple[set[str], dict[str, str]]:
        """The master's style ids, and its ids by style name (python-docx's names), until a
        style is added to it."""
        if self._master_style_cache is None:
            styles = list(self._master.styles)
            self._master_style_cache = ({s.style_id for s in styles}, {s.name: s.style_id for s in styles})
        return self._master_style_cache

    def _linked_style(
        self, source: Source, style: Any, names: dict[str, str], by_name: dict[str, str]
    ) -> None:
        linked = style.xpath(".//w:link/@w:val")
        if not linked:
            return
        ours = self._master_styles()[0]
        our_id = by_name.get(names[linked[0]], linked[0]) if linked[0] in names else linked[0]
        if our_id not in ours:
            found = source.styles.element.get_by_id(linked[0])
            if found is not None:
                self._master.styles.element.append(copy.deepcopy(found))
                self._master_style_cache = None

    def _pictures(self, source: Source, element: Any) -> None:
        """docxcompose's add_images: the same picture (by SHA-1) is stored once; each gets the
        master's relationship id — found in a table, not by hashing every picture again."""
        for blip in _BLIPS(element):
            facts = source.image(blip.get(R_EMBED))
            found = self._images.get(facts.sha1)
            if found is None:
                # python-docx's next partname: the smallest number not taken. Numbers are only
                # ever taken, so that smallest one only grows: found from where it was last time,
                # not by counting from 1 past every picture already added (1,000 photos: 500,000 looks).
                while self._next_image in self._image_numbers:
                    self._next_image += 1
                number = self._next_image
                self._image_numbers.add(number)
                ext = os.path.splitext(facts.filename)[1][1:]
                part = ImagePart(
                    PackURI(f"/word/media/image{number}.{ext}"),
                    facts.content_type,
                    facts.blob,
                    None,
                )
                self._master.part.package.image_parts.append(part)
                rid = f"rId{self._free_rids.pop()}"
                self._master.part.rels.add_relationship(RT.IMAGE, part, rid)
                found = self._images[facts.sha1] = (part, rid)
            blip.set(R_EMBED, found[1])

    # ---- footers (compose_print_set's loop over the sections) ----------------------------

    def _footers(self, item: PrintItem, sect: Any) -> None:
        if item.numbered:
            self._shared_footer(sect, numbered=True)
        else:
            self._shared_footer(sect, numbered=False)

    def _shared_footer(self, sect: Any, *, numbered: bool) -> None:
        if numbered:
            _set_page_start(sect)
        if numbered not in self._shared:
            kinds = ("default", "even") if numbered else ("default", "even", "first")
            existing = [(ref.get(qn("w:type")), ref.get(R_ID)) for ref in sect.findall(f"{W}footerReference")]
            have = {kind for kind, _ in existing}
            missing = [kind for kind in kinds if kind not in have]
            setup = len(self._setups)
            self._setups.append((numbered, existing, missing))
            for kind in missing:
                token = f"rIdNOMINATOR{self._nonce}S{setup}{kind}"
                self._tokens[token] = (setup, kind)
                _add_footer_reference(sect, kind, token)
            self._shared[numbered] = [
                (ref.get(qn("w:type")), ref.get(R_ID)) for ref in sect.findall(f"{W}footerReference")
            ]
            return
        for ref in sect.findall(f"{W}footerReference"):
            sect.remove(ref)
        for kind, rid in self._shared[numbered]:
            _add_footer_reference(sect, kind, rid)

    # ---- writing ------------------------------------------------------------------------

    def _flush(self, elements: list[Any]) -> None:
        body = self._master.element.body
        for element in elements:
            # docxcompose numbers each kind in document order, one kind after another; one walk
            # over the four kinds gives each kind the same numbers
            for found in element.iter(_BOOKMARK_START, _BOOKMARK_END, _DOCPR, _CNVPR):
                tag = found.tag
                if tag == _BOOKMARK_START:
                    found.set(f"{W}id", str(self._bookmarks[0]))
                    self._bookmarks[0] += 1
                elif tag == _BOOKMARK_END:
                    found.set(f"{W}id", str(self._bookmarks[1]))
                    self._bookmarks[1] += 1
                elif tag == _DOCPR:
                    found.set("id", str(self._docpr))
                    self._docpr += 1
                else:
                    found.set("id", str(self._cnvpr))
                    self._cnvpr += 1
            pictures_without_gap(element)
            put_in_schema_order(element)
            if element.getparent() is not body:
                body.append(element)
        if not elements:
            return
        whole = etree.tostring(self._master.element, encoding="UTF-8", standalone=True)
        if not (whole.startswith(self._prefix) and whole.endswith(self._suffix)):
            raise NotStreamable("the document element changed")  # cannot happen: nothing touches it
        self._chunks.append(zlib.compress(whole[len(self._prefix) : len(whole) - len(self._suffix)], 1))
        for element in list(body):
            body.remove(element)

    def _write(self) -> None:
        master = self._master
        part = master.part
        # finish(): the pictures' ids go on into the headers and footers the master has
        for rel in list(part.rels.values()):
            if rel.reltype in (RT.HEADER, RT.FOOTER):
                for doc_pr in rel.target_part.element.iter(_DOCPR):
                    doc_pr.set("id", str(self._docpr))
                    self._docpr += 1
        for rel in list(part.rels.values()):
            if rel.reltype in (RT.HEADER, RT.FOOTER):
                for c_nv_pr in rel.target_part.element.iter(_CNVPR):
                    c_nv_pr.set("id", str(self._cnvpr))
                    self._cnvpr += 1
        # the footers, made now as compose_print_set makes them: after every picture
        rids: dict[str, str] = {}
        for setup, (numbered, existing, missing) in enumerate(self._setups):
            sect = parse_xml(f'<w:sectPr xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"/>')
            for kind, rid in existing:
                sect.add_footerReference(FOOTER_TYPES[kind], rid)
            (_page_footer if numbered else _blank_footer)(Section(sect, part))
            made = {ref.get(qn("w:type")): ref.get(R_ID) for ref in sect.findall(f"{W}footerReference")}
            for kind in missing:
                rids[f"rIdNOMINATOR{self._nonce}S{setup}{kind}"] = made[kind]
        # order_document: every other part in the schema's order
        for other in part.package.iter_parts():
            element = getattr(other, "_element", None)
            if element is not None and other is not part:
                put_in_schema_order(element)
        pattern = re.compile(("|".join(re.escape(t) for t in rids) or "(?!)").encode())

        def body() -> Iterator[bytes]:
            for chunk in self._chunks:
                data = zlib.decompress(chunk)
                if b"rIdNOMINATOR" in data:
                    data = pattern.sub(lambda m: rids[m.group(0).decode()].encode(), data)
                yield data

        write_package(self.out, master, self._prefix, body(), self._suffix)


def body_frame(document: Any) -> tuple[bytes, bytes]:
    """The serialised w:document of a python-docx Document before and after its body's
    content: what goes around the streamed parts."""
    whole = etree.tostring(document.element, encoding="UTF-8", standalone=True)
    start, end = b"<w:body>", b"</w:body>"
    if whole.count(start) != 1 or whole.count(end) != 1:
        raise NotStreamable("an unusual document element")
    return whole[: whole.index(start) + len(start)], whole[whole.rindex(end) :]


def write_package(out: Path, document: Any, prefix: bytes, body: Iterable[bytes], suffix: bytes) -> None:
    """Save a python-docx Document as python-docx does (content types, relationships, every
    part in its order) with the document part's XML streamed: `prefix`, then `body`, then
    `suffix`. Written beside `out` and renamed into place."""
    part = document.part
    tmp = out.with_name(f".{out.name}.part")
    parts = part.package.parts
    for each in parts:
        each.before_marshal()
    stamp = dt.datetime.now().timetuple()[:6]
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)  # type: ignore[no-untyped-call]
            archive.writestr(PACKAGE_URI.rels_uri.membername, part.package.rels.xml)
            for each in parts:
                if each is part:
                    entry = zipfile.ZipInfo(each.partname.membername, stamp)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    with archive.open(entry, "w") as stream:
                        stream.write(prefix)
                        for data in body:
                            stream.write(data)
                        stream.write(suffix)
                else:
                    archive.writestr(each.partname.membername, each.blob)
                if len(each.rels):
                    archive.writestr(each.partname.rels_uri.membername, each.rels.xml)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _add_footer_reference(sect: Any, kind: str, rid: str) -> None:
    """CT_SectPr.add_footerReference on any element: inserted before the first of the
    elements that follow references (python-docx looks for them in the schema's order)."""
    ref = OxmlElement("w:footerReference")
    successor = None
    for tag in _REFERENCE_SUCCESSORS:
        successor = sect.find(qn(tag))
        if successor is not None:
            break
    if successor is not None:
        successor.addprevious(ref)
    else:
        sect.append(ref)
    ref.set(qn("w:type"), kind)
    ref.set(R_ID, rid)


def sha1_of(blob: bytes) -> str:
    return hashlib.sha1(blob).hexdigest()


__all__ = ["NotStreamable", "PrintSetWriter", "Source"]
