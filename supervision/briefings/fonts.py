"""The typefaces of the briefing's PDF and charts, shipped by a Python package, not the system.

``pylopdf-fonts-zh-cn`` is a data-only wheel (two font files and a 20-line module) holding Noto
Serif SC and Noto Sans SC Regular from notofonts/noto-cjk, under the SIL Open Font License 1.1.
It is a dependency in the lock file, hash-pinned like every other, so ``make run`` on a fresh
machine renders Chinese without an apt step. Serif (宋体-like) for the title and body, sans
(黑体-like) for the headings and tables, as GB/T 9704 pairs 宋/仿宋 with 黑体.

The PDF embeds, per document, only the glyphs it uses, with TrueType outlines (``truetype_subset``):
fpdf2 would embed the CFF outlines of these fonts as they are, but then through a custom
encoding CMap that pypdf and pdfminer cannot read, so the text would not extract; a TrueType
subset is embedded as Identity-H, which every reader and extractor handles. Converting the few
hundred glyphs a briefing uses takes a fraction of a second.

The .docx names the Windows fonts instead (documents.DOCX_FONTS): Word draws with the reader's
fonts, and the administration's and the operators' machines have them.
"""

import io
from pathlib import Path

import pylopdf_fonts_zh_cn

SERIF: Path = pylopdf_fonts_zh_cn.serif_path()
SANS: Path = pylopdf_fonts_zh_cn.sans_path()

# Curves of the converted outlines stay within this many font units of the originals (of 1,000).
MAX_ERROR = 1.0


def truetype_subset(path: Path, text: str) -> bytes:
    """The font at ``path`` cut down to the characters of ``text``, with TrueType outlines."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(path))
    options = subset.Options()
    options.layout_features = []  # no vertical forms or ligatures: horizontal Chinese text
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " not in font:  # already TrueType
        buffer = io.BytesIO()
        font.save(buffer)
        return buffer.getvalue()

    # CFF (cubic) → glyf (quadratic), as fontTools' otf2ttf recipe does.
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # vertical origins belong to CFF fonts only
        del font["VORG"]
    glyf.compile(font)
    metrics = font["hmtx"]
    for name, glyph in glyphs.items():
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font["post"].formatType = 3.0  # no glyph names: a CID-keyed font has none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
