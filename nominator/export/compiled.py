"""Word templates read once, filled many times.

docxtpl opens its template, runs a dozen regular expressions over the XML and compiles the
Jinja template again for every document it renders; python-docx then searches the whole
document for a free id and re-hashes every picture for each one it adds. For 801 documents
that was most of an export. Here a template is prepared once per content (`compile_template`):
the body and the header/footer XML patched and compiled as docxtpl would, and the parts that
do not change serialised once, exactly as python-docx writes them. Filling it for a record is
then the Jinja render, one parse, and the package written from those pieces.

The bytes are docxtpl's and python-docx's: tests/export/test_compiled.py renders every form
both ways and compares them, and the golden copies pin the demo store's documents. A template
using something this path does not model (footnotes, a picture in a header) is rendered the
old way, whole (`CompiledTemplate.fast` is False).
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.image.image import Image as DocxImage
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from docxtpl import DocxTemplate
from jinja2 import Environment, Template, meta
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # as docxtpl renders them
_LISTING = ("\t", "\x07", "\n", "\x0c")  # what docxtpl's resolve_listing turns into runs
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # resolve_listing's own pattern


def _fixed_zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def docx_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A package with constant entry dates, so the same content gives the same file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, blob in members:
            archive.writestr(_fixed_zip_entry(name), blob)
    return out.getvalue()


@dataclass
class _Variant:
    """The package of the template with `n` pictures added, as python-docx saves it: member
    names in order and the bytes of every member a render does not replace."""

    names: list[str]
    constant: dict[str, bytes]
    media: list[str]  # the members of the added pictures, in the order they were added


@dataclass
class Picture:
    """A picture placed by `{{ photo }}`: registered with its render when Jinja prints it."""

    fill: Filling
    blob: bytes
    width: int
    height: int

    def __html__(self) -> str:
        return self.fill.picture_xml(self)

    def __str__(self) -> str:
        return self.__html__()


@dataclass
class Filling:
    """One render of a template: the body tree and everything the package needs besides it."""

    template: CompiledTemplate
    images: list[bytes] = field(default_factory=list)  # new image parts, in the order added
    pictures: int = 0  # pictures printed (one image part may be printed twice)
    _by_sha1: dict[str, str] = field(default_factory=dict)  # sha1 → rId
    root: Any = None  # w:document with the rendered body
    parts: dict[str, bytes] = field(default_factory=dict)  # rendered headers and footers
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> Any:
        return self.root.find(f"{W}body")

    def picture(self, blob: bytes, width: int, height: int) -> Picture:
        return Picture(self, blob, width, height)

    def picture_xml(self, picture: Picture) -> str:
        # python-docx: get_or_add_image (an existing part with the same SHA-1, else the next
        # /word/media/imageN and the next free rId), then new_pic_inline with the document's
        # next id — the template's, since docxtpl renders before the body is replaced.
        tpl = self.template
        sha1 = hashlib.sha1(picture.blob).hexdigest()
        image = tpl.image_facts(picture.blob, sha1)
        rid = tpl.template_images.get(sha1) or self._by_sha1.get(sha1)
        if rid is None:
            rid = tpl.free_rids[len(self.images)]
            self.images.append(picture.blob)
            self._by_sha1[sha1] = rid
        inline = tpl.inline_xml(rid, image.filename, int(Emu(picture.width)), int(Emu(picture.height)))
        self.pictures += 1
        return f'</w:t></w:r><w:r><w:drawing>{inline}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    def package(self, *, title: str, pages: int | None, timestamp: str) -> bytes:
        """The .docx: this render's body, headers, footers, properties and pictures in the
        template's package, as python-docx saves it, with constant dates."""
        return docx_bytes(self.members(title=title, pages=pages, timestamp=timestamp))

    def members(self, *, title: str, pages: int | None, timestamp: str) -> list[tuple[str, bytes]]:
        tpl = self.template
        variant = tpl.variant(self.images)
        replaced = {tpl.document_member: etree.tostring(self.root, encoding="UTF-8", standalone=True)}
        replaced.update(self.parts)
        if tpl.core_member:
            replaced[tpl.core_member] = tpl.core_xml(self.properties, title, timestamp)
        if tpl.app_member:
            replaced[tpl.app_member] = tpl.app_xml(pages)
        replaced.update(zip(variant.media, self.images, strict=True))
        return [
            (name, replaced[name] if name in replaced else variant.constant[name]) for name in variant.names
        ]


class CompiledTemplate:
    """A Word template prepared once: see the module's docstring."""

    def __init__(self, data: bytes, env: Environment) -> None:
        self.data = data
        self.env = env
        self._lock = threading.Lock()
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        self._docxtpl = tpl
        doc = tpl.docx
        doc.core_properties  # noqa: B018 — docxtpl reads them, which adds the part if missing
        self.fast = True
        # the body, as docxtpl.build_xml prepares it
        source = tpl.patch_xml(tpl.get_xml())
        self.body_source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
        self.body_template: Template = env.from_string(self.body_source)
        root = doc.element
        self.skeleton = copy.deepcopy(root)
        for child in list(self.skeleton.find(f"{W}body")):
            self.skeleton.find(f"{W}body").remove(child)
        self.document_member = doc.part.partname.membername
        # headers and footers: rendered every time, as docxtpl does
        self.hdrftr: list[tuple[str, Template, str]] = []
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _rel_key, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
                compiled = env.from_string(patched)
                if "photo" in meta.find_undeclared_variables(env.parse(patched)):
                    self.fast = False  # a picture in a header: python-docx adds it to that part
                self.hdrftr.append((part.partname.membername, compiled, encoding))
        self._hdrftr_cache: dict[bytes, bytes] = {}
        if any(p.content_type == CT.WML_FOOTNOTES for p in doc.part.package.iter_parts()):
            self.fast = False  # docxtpl renders footnotes once per section
        # document properties
        self.core_element = doc.core_properties._element
        self.core_member = next(
            (
                p.partname.membername
                for p in doc.part.package.iter_parts()
                if p.content_type == CT.OPC_CORE_PROPERTIES
            ),
            "",
        )
        self.property_templates = {
            name: self._property_template(getattr(doc.core_properties, name) or "") for name in _PROPERTIES
        }
        self.app_member = next(
            (
                p.partname.membername
                for p in doc.part.package.iter_parts()
                if str(p.partname) == "/docProps/app.xml"
            ),
            "",
        )
        self._app_blob = next(
            (p.blob for p in doc.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml"), b""
        )
        self._app_cache: dict[int | None, bytes] = {}
        # pictures: python-docx's numbering for the ones a render adds
        self.next_id = doc.part.next_id
        self.template_images: dict[str, str] = {}
        for rel in doc.part.rels.values():
            if rel.reltype == RT.IMAGE and not rel.is_external:
                self.template_images.setdefault(rel.target_part.sha1, rel.rId)
        # for the print set: what the document's relationships are, its styles
        self.styles = doc.styles
        self.reltypes = {rid: rel.reltype for rid, rel in doc.part.rels.items()}
        self.image_parts = {
            rid: rel.target_part
            for rid, rel in doc.part.rels.items()
            if rel.reltype == RT.IMAGE and not rel.is_external
        }
        self.has_custom_properties = any(
            rel.reltype == RT.CUSTOM_PROPERTIES for rel in doc.part.package.rels.values()
        )
        self.blank_runs_per_picture = 0
        used = set(doc.part.rels)
        self.free_rids = [f"rId{n}" for n in range(1, len(used) + 64) if f"rId{n}" not in used]
        self._variants: dict[tuple[tuple[str, str], ...], _Variant] = {}
        self._images: dict[str, DocxImage] = {}
        self._inlines: dict[tuple[str, str, int, int], str] = {}

    # ---- filling ------------------------------------------------------------------------

    def new_filling(self) -> Filling:
        return Filling(self)

    def fill(self, filling: Filling, context: dict[str, Any]) -> None:
        """Render body, headers, footers and properties of `filling` (docxtpl's render)."""
        xml = self.body_template.render(context)
        xml = self._finish(xml, filling)
        tree = self._docxtpl.fix_tables(xml)
        index = 1000  # docxtpl's fix_docpr_ids
        for element in tree.iter(_WP_DOCPR):
            index += 1
            element.attrib["id"] = str(index)
        root = copy.deepcopy(self.skeleton)
        root.replace(root.find(f"{W}body"), tree)
        filling.root = root
        for member, compiled, encoding in self.hdrftr:
            rendered = self._finish(compiled.render(context), filling).encode(encoding)
            blob = self._hdrftr_cache.get(rendered)
            if blob is None:
                blob = etree.tostring(parse_xml(rendered), encoding="UTF-8", standalone=True)
                if len(self._hdrftr_cache) < 64:
                    self._hdrftr_cache[rendered] = blob
            filling.parts[member] = blob
        filling.properties = {name: t.render(context) for name, t in self.property_templates.items()}

    def _finish(self, xml: str, filling: Filling) -> str:
        """docxtpl.render_xml_part after the render."""
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # resolve_listing rewrites the w:t texts of a paragraph that hold a tab, newline, bell or
        # form feed and leaves every other paragraph as it is: only those are handed to it (each
        # alone, which matches exactly as in the whole text).
        if not any(ch in xml for ch in _LISTING):
            return xml
        return _PARAGRAPH.sub(self._resolve_paragraph, xml)

    def _resolve_paragraph(self, match: re.Match[str]) -> str:
        text = match.group(0)
        return self._docxtpl.resolve_listing(text) if any(ch in text for ch in _LISTING) else text

    def _property_template(self, text: str) -> Template:
        return self.env.from_string(text)

    # ---- the pieces python-docx would write ---------------------------------------------

    def image_facts(self, blob: bytes, sha1: str) -> DocxImage:
        image = self._images.get(sha1)
        if image is None:
            image = DocxImage.from_blob(blob)
            if len(self._images) > 4096:
                self._images.clear()
            self._images[sha1] = image
        return image

    def inline_xml(self, rid: str, filename: str, cx: int, cy: int) -> str:
        key = (rid, filename, cx, cy)
        found = self._inlines.get(key)
        if found is None:
            found = CT_Inline.new_pic_inline(self.next_id, rid, filename, Emu(cx), Emu(cy)).xml
            with self._lock:
                self._inlines[key] = found
                self.blank_runs_per_picture = len(re.findall(r">[ \t\n]+<", found))
        return found

    def core_xml(self, properties: dict[str, str], title: str, timestamp: str) -> bytes:
        element = copy.deepcopy(self.core_element)
        core = CoreProperties(element)
        for name in _PROPERTIES:
            setattr(core, name, properties[name])
        core.title = title
        blob = etree.tostring(element, encoding="UTF-8", standalone=True)
        return _CORE_DATES.sub(rb"\g<1>" + timestamp.encode() + rb"\g<3>", blob)

    def app_xml(self, pages: int | None) -> bytes:
        found = self._app_cache.get(pages)
        if found is None:
            root = etree.fromstring(self._app_blob)
            for old in root.findall(f"{_APP}Pages"):
                root.remove(old)
            if pages is not None:
                etree.SubElement(root, f"{_APP}Pages").text = str(pages)
            found = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            self._app_cache[pages] = found
        return found

    def variant(self, images: list[bytes]) -> _Variant:
        """The template's package saved by python-docx with these pictures added: what does not
        depend on the pictures' content is kept per kind of picture."""
        kinds = tuple(
            (facts.ext, facts.content_type)
            for facts in (self.image_facts(b, hashlib.sha1(b).hexdigest()) for b in images)
        )
        found = self._variants.get(kinds)
        if found is None:
            from docx import Document

            doc = Document(io.BytesIO(self.data))
            doc.core_properties  # noqa: B018
            media = []
            for blob in images:
                _rid, image = doc.part.get_or_add_image(io.BytesIO(blob))
                part = doc.part.package.image_parts._get_by_sha1(image.sha1)
                media.append(part.partname.membername)
            out = io.BytesIO()
            doc.save(out)
            with zipfile.ZipFile(out) as archive:
                names = archive.namelist()
                constant = {name: archive.read(name) for name in names}
            found = _Variant(names, constant, media)
            with self._lock:
                self._variants[kinds] = found
        return found


_compiled: dict[tuple[str, int], CompiledTemplate] = {}
_compiled_lock = threading.Lock()


def compile_template(data: bytes, env_factory: Callable[[], Environment]) -> CompiledTemplate:
    """The template of these bytes, prepared once per process (keyed by content)."""
    key = (hashlib.sha256(data).hexdigest(), id(env_factory))
    with _compiled_lock:
        found = _compiled.get(key)
    if found is None:
        found = CompiledTemplate(data, env_factory())
        with _compiled_lock:
            if len(_compiled) > 64:
                _compiled.clear()
            _compiled[key] = found
    return found


def iter_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)
