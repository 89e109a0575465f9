"""Element order of WordprocessingML as the schema (ECMA-376 Part 1, transitional) wants it.

Word forgives most order slips, stricter readers (and Word's own "repair" on some) do not. Every
part this program writes goes through `put_in_schema_order` before it is saved, and the tests read
every generated part with `order_problems`: an element out of place or repeated is named there.

Only the property containers whose children are sequences in the schema are listed; children
this table does not know (extensions such as w14:…) keep their place and stop the reordering of
that one element, so nothing Word wrote is ever moved blindly.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _seq(*names: str) -> tuple[str, ...]:
    """Tags in schema order; "a|b" are alternatives at one place (a choice in the schema)."""
    return tuple(f"{{{W}}}{name}" for name in names)


def _ranks(sequence: tuple[str, ...]) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, entry in enumerate(sequence):
        namespace, _, names = entry.partition("}")
        for name in names.split("|"):
            ranks[f"{namespace}}}{name}"] = rank
    return ranks


# child sequences, from wml.xsd (CT_PPrBase + CT_PPr, CT_RPr, CT_TblPr, CT_TcPr, CT_SectPr, …)
_PPR = _seq(
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)  # fmt: skip
_RPR = _seq(
    "ins", "del", "moveFrom", "moveTo",  # only in a paragraph mark's rPr
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
)  # fmt: skip
_TBLPR = _seq(
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
    "tblLook", "tblCaption", "tblDescription", "tblPrChange",
)  # fmt: skip
_TCPR = _seq(
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
    "tcPrChange",
)  # fmt: skip
_SECTPR = _seq(
    "headerReference|footerReference",  # any number, in any order, before the rest
    "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType",
    "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
    "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)  # fmt: skip
_BORDERS = _seq("top", "start|left", "bottom", "end|right", "insideH", "insideV", "tl2br", "tr2bl")
_MARGINS = _seq("top", "start|left", "bottom", "end|right")
_TBL = _seq("bookmarkStart", "bookmarkEnd", "tblPr", "tblGrid")  # then rows
_TR = _seq("tblPrEx", "trPr")  # then cells
_STYLE = _seq(
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)  # fmt: skip
_SETTINGS = _seq(
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
    "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
    "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
    "documentProtection", "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
    "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
    "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
    "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
    "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
    "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip

# element → (rank of each child, children that may repeat, whether only a leading run is ordered:
# a table's properties come before its rows, a paragraph's before its runs, and so on)
_RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    f"{{{W}}}pPr": (_PPR, (), False),
    f"{{{W}}}rPr": (_RPR, (), False),
    f"{{{W}}}tblPr": (_TBLPR, (), False),
    f"{{{W}}}tcPr": (_TCPR, (), False),
    f"{{{W}}}sectPr": (_SECTPR, _seq("headerReference", "footerReference"), False),
    f"{{{W}}}tblBorders": (_BORDERS, (), False),
    f"{{{W}}}tcBorders": (_BORDERS, (), False),
    f"{{{W}}}pBdr": (_seq("top", "left", "bottom", "right", "between", "bar"), (), False),
    f"{{{W}}}tblCellMar": (_MARGINS, (), False),
    f"{{{W}}}tcMar": (_MARGINS, (), False),
    f"{{{W}}}tbl": (_TBL, _seq("bookmarkStart", "bookmarkEnd"), True),
    f"{{{W}}}tr": (_TR, (), True),
    f"{{{W}}}tc": (_seq("tcPr"), (), True),
    f"{{{W}}}p": (_seq("pPr"), (), True),
    f"{{{W}}}r": (_seq("rPr"), (), True),
    f"{{{W}}}style": (_STYLE, _seq("tblStylePr"), False),
    f"{{{W}}}settings": (_SETTINGS, _seq("activeWritingStyle", "smartTagType"), False),
}
_ORDER = {
    tag: (_ranks(seq), frozenset(repeatable), prefix) for tag, (seq, repeatable, prefix) in _RULES.items()
}
# a row's properties are a choice in the schema (any order), but each may appear once
_TRPR_ONCE = frozenset(_seq("cantSplit", "trHeight", "tblHeader", "jc", "hidden"))


_ONCE = {tag: frozenset(ranks) - repeatable for tag, (ranks, repeatable, _prefix) in _ORDER.items()}
_TRPR = f"{{{W}}}trPr"


def _children(element: Any) -> list[Any]:
    return list(element.iterchildren(etree.Element))  # elements: not comments or instructions


def put_in_schema_order(root: Any) -> Any:
    """Reorder, in place, the children of every property element at and below root; returns
    root. A repeated single-valued property keeps only its last occurrence, the one Word and
    LibreOffice apply. An element with a child this table does not know is left alone.

    What happens to an element's children depends only on its tag and theirs: it is worked out
    once per such sequence (`_plan`) and replayed. Most parts are in order already: a first look
    at the property elements alone finds that out; only a part with something to change is
    walked node by node (the walk's order matters once children move under it)."""
    plans = _PLANS
    for element in root.iter(*_RULE_TAGS):
        if len(element) < 2:
            continue  # one child or none: nothing to order, nothing repeated
        key = (element.tag, *map(_TAG_OF, element))  # what _plan is asked, built in one step
        plan = plans.get(key, _UNSEEN)
        if plan is _UNSEEN:
            plan = _plan(key[0], key[1:])
        if plan is not None:
            break
    else:
        return root  # in order already: the usual case, so this look is made as cheap as it can be
    for element in root.iter():
        tag = element.tag
        if tag != _TRPR and tag not in _ORDER:  # comments and instructions have no rule either
            continue
        children = list(element)
        if len(children) < 2 and tag != _TRPR and not _ORDER[tag][2]:
            continue  # nothing to order, nothing repeated
        plan = _plan(tag, tuple(child.tag for child in children))
        if plan is not None:
            element[:] = [children[n] for n in plan]
    return root


_RULE_TAGS = (*_ORDER, _TRPR)
_TAG_OF = operator.attrgetter("tag")
_UNSEEN = object()


_PLANS: dict[tuple[Any, ...], tuple[int, ...] | None] = {}


def _plan(tag: str, tags: tuple[Any, ...]) -> tuple[int, ...] | None:
    """For children with these tags (comments and instructions are their factories), the order
    the rules leave them in, as indexes into the old order (None: as they are)."""
    key = (tag, *tags)
    if key not in _PLANS:
        if len(_PLANS) > 20_000:
            _PLANS.clear()
        _PLANS[key] = _work_out(tag, tags)
    return _PLANS[key]


def _work_out(tag: str, tags: tuple[Any, ...]) -> tuple[int, ...] | None:
    """Apply the rules to stand-ins with these tags and see where each one went."""
    probe = etree.Element(tag)
    for n, child_tag in enumerate(tags):
        if isinstance(child_tag, str):
            etree.SubElement(probe, child_tag, n=str(n))
        else:  # a comment or a processing instruction
            stand_in = etree.Comment(str(n)) if child_tag is etree.Comment else etree.PI("n", str(n))
            probe.append(stand_in)
    _apply(probe)
    order = tuple(
        int(child.get("n") if isinstance(child.tag, str) else (child.text or "")) for child in probe
    )
    return None if order == tuple(range(len(tags))) else order


def _apply(element: Any) -> None:
    """The rules for one element's children, as first written (see put_in_schema_order)."""
    tag = element.tag
    if tag == _TRPR:
        _drop_repeats(element, _TRPR_ONCE)
        return
    ranks, _repeatable, prefix_only = _ORDER[tag]
    if prefix_only:
        known = list(element.iterchildren(*ranks))
        if not known:
            return
        head = list(itertools.islice(element.iterchildren(etree.Element), len(known)))
        if known != head:  # a property element after the content
            for child in known:
                element.remove(child)
            rest = _children(element)
            for child in sorted(known, key=lambda c: ranks[c.tag]):
                if rest:
                    rest[0].addprevious(child)
                else:
                    element.append(child)
        return
    children = _children(element)
    if any(child.tag not in ranks for child in children):
        return
    if len(children) > 1:
        _drop_repeats(element, _ONCE[tag])
        children = _children(element)
    positions = [ranks[child.tag] for child in children]
    if any(b < a for a, b in itertools.pairwise(positions)):
        ordered = sorted(children, key=lambda c: ranks[c.tag])  # stable: repeatable ones keep order
        for child in children:
            element.remove(child)
        for child in ordered:
            element.append(child)


def _drop_repeats(element: Any, once: frozenset[str]) -> None:
    seen: dict[str, Any] = {}
    for child in _children(element):
        if child.tag in once:
            if child.tag in seen:
                element.remove(seen[child.tag])
            seen[child.tag] = child


def order_problems(root: Any, part: str = "") -> list[str]:
    """Every element whose children are out of schema order or repeat a single-valued child."""
    problems: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == f"{{{W}}}trPr":
            problems += _repeats(element, _TRPR_ONCE, part)
            continue
        rule = _ORDER.get(element.tag)
        if rule is None:
            continue
        ranks, repeatable, prefix_only = rule
        children = _children(element)
        if prefix_only:
            known = [child for child in children if child.tag in ranks]
            if known != children[: len(known)]:
                problems.append(f"{part}: {_name(element.tag)} has properties after its content")
        placed = [(ranks[child.tag], child.tag) for child in children if child.tag in ranks]
        for (before, tag_before), (after, tag_after) in itertools.pairwise(placed):
            if after < before:
                problems.append(
                    f"{part}: {_name(tag_after)} after {_name(tag_before)} in {_name(element.tag)}"
                )
        problems += _repeats(element, frozenset(ranks) - repeatable, part)
    return problems


def _repeats(element: Any, once: frozenset[str], part: str) -> list[str]:
    seen: set[str] = set()
    found = []
    for child in _children(element):
        if child.tag in once:
            if child.tag in seen:
                found.append(f"{part}: {_name(child.tag)} repeated in {_name(element.tag)}")
            seen.add(child.tag)
    return found


def _name(tag: str) -> str:
    return "w:" + tag.rpartition("}")[2] if tag.startswith(f"{{{W}}}") else tag


def word_parts(names: Iterable[str]) -> Iterator[str]:
    """The parts of a .docx that hold WordprocessingML (body, headers, footers, styles, …)."""
    for name in names:
        if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name:
            yield name


def package_problems(data: bytes) -> list[str]:
    """order_problems for every WordprocessingML part of a .docx given as bytes."""
    import io
    import zipfile

    from lxml import etree

    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in word_parts(archive.namelist()):
            problems += order_problems(etree.fromstring(archive.read(name)), name)
    return problems


def order_document(document: Any) -> None:
    """put_in_schema_order on every XML part of a python-docx Document (body, headers, footers,
    styles, settings …), before it is saved."""
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            put_in_schema_order(element)
