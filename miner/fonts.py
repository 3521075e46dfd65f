"""Find a font that has Chinese glyphs, and use it inside a plot.

matplotlib's default font (DejaVu Sans) has no CJK glyphs, so Chinese labels
come out as empty boxes.  :func:`find_cjk_font` looks first for the Noto Sans
CJK SC font that the ``mplfonts`` package (a dependency of ``miner``) ships,
then for a CJK font installed on the system, and registers it with
matplotlib's font manager.  :func:`cjk_rc` returns an ``rc_context`` naming
that font; every plot function in ``miner`` builds its artists inside it.
Nothing here changes matplotlib's global settings.
"""

from __future__ import annotations

import functools
import importlib.util
import warnings
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CJKFont", "find_cjk_font", "cjk_rc", "web_cjk_font", "BUNDLED_FONT", "SYSTEM_FAMILIES"]

# The file inside the mplfonts package (a Noto Sans CJK SC OpenType font).
BUNDLED_FONT = ("mplfonts", "fonts", "NotoSansCJKsc-Regular.otf")
# System fonts tried, best first, when the bundled one is missing.
SYSTEM_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Arial Unicode MS",
)


@dataclass(frozen=True)
class CJKFont:
    """A font with Chinese glyphs, registered with matplotlib.

    Attributes:
        name: The family name matplotlib knows it by.
        path: The font file.
        source: ``"mplfonts"`` (the bundled font) or ``"system"``.
    """

    name: str
    path: Path
    source: str


def _bundled_font() -> Path | None:
    # find_spec locates the package without importing it (mplfonts' import
    # pulls in its own font-switching helpers, which we do not want).
    spec = importlib.util.find_spec(BUNDLED_FONT[0])
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder).joinpath(*BUNDLED_FONT[1:])
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=None)
def find_cjk_font() -> CJKFont | None:
    """The CJK font plots use: the bundled Noto Sans CJK SC, else a system one.

    The font is registered with matplotlib's font manager (once per process);
    ``None`` means no CJK font was found.

    >>> font = find_cjk_font()
    >>> font is None or (font.path.is_file() and font.source in ("mplfonts", "system"))
    True
    """
    from matplotlib import font_manager

    path = _bundled_font()
    if path is not None:
        try:
            font_manager.fontManager.addfont(str(path))
            return CJKFont(font_manager.FontProperties(fname=str(path)).get_name(), path, "mplfonts")
        except (OSError, RuntimeError, ValueError):
            pass  # an unreadable file: fall through to the system fonts
    by_name = {f.name: f for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_FAMILIES:
        if family in by_name:
            return CJKFont(family, Path(by_name[family].fname), "system")
    return None


def cjk_rc(extra: dict | None = None):
    """An ``rc_context`` whose font has Chinese glyphs.

    Text created inside it keeps the font (the family list is stored on each
    artist), so the figure can be saved after the ``with`` block.  Glyphs the
    CJK font lacks fall back to matplotlib's default sans-serif font.

    Args:
        extra: More rc settings for the same context.

    >>> from matplotlib.figure import Figure
    >>> with cjk_rc():
    ...     ax = Figure().add_subplot()
    ...     title = ax.set_title("四个全面")
    >>> find_cjk_font() is None or title.get_fontfamily()[0] == find_cjk_font().name
    True
    """
    import matplotlib

    font = find_cjk_font()
    rc = {"axes.unicode_minus": False}
    if font is None:
        warnings.warn(
            "no CJK font found, so Chinese labels will show as boxes; "
            "`pip install mplfonts` or install a CJK font (e.g. fonts-noto-cjk)",
            stacklevel=2,
        )
    else:
        rc["font.family"] = [font.name, "sans-serif"]
    rc.update(extra or {})
    return matplotlib.rc_context(rc)


@functools.lru_cache(maxsize=64)
def truetype_cjk_font(chars: str) -> str | None:
    """The CJK font, cut down to ``chars`` and with TrueType outlines, registered with matplotlib.

    Returns its family name (``None`` without a CJK font).  The bundled Noto
    Sans CJK has PostScript (CFF) outlines, which matplotlib's PDF backend
    embeds in a TrueType slot (a mismatch PDF checkers report); its glyphs
    are converted to quadratic TrueType curves (fontTools' cu2qu, within one
    font unit), so PDFs embed a real TrueType (Type 42) font.  A font that
    already has TrueType outlines is used as it is.

    >>> name = truetype_cjk_font("四个全面")
    >>> name is None or name.startswith(find_cjk_font().name)
    True
    """
    import hashlib
    import tempfile

    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from matplotlib import font_manager

    font = find_cjk_font()
    if font is None:
        return None
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.font_number = 0  # a collection (.ttc): its first font
    ttf = subset.load_font(str(font.path), options)
    if "glyf" in ttf:
        return font.name
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(ttf)
    order = ttf.getGlyphOrder()
    glyph_set = ttf.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for table in ("CFF ", "CFF2", "VORG"):
        if table in ttf:
            del ttf[table]
    ttf["glyf"], ttf["loca"] = glyf, newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    ttf["maxp"] = maxp
    ttf["head"].glyphDataFormat = 0
    post = ttf["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    ttf.sfntVersion = "\x00\x01\x00\x00"
    ttf.recalcBBoxes = True
    # A family of its own, so matplotlib does not mix it up with the full font.
    digest = hashlib.sha1(chars.encode("utf-8")).hexdigest()[:10]
    family = f"{font.name} TrueType {digest}"
    for record in ttf["name"].names:
        if record.nameID in (1, 3, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = f"{font.name.replace(' ', '')}-TT{digest}"
    folder = Path(tempfile.gettempdir()) / "miner-fonts"
    folder.mkdir(exist_ok=True)
    path = folder / f"cjk-{digest}.ttf"
    ttf.save(str(path))
    font_manager.fontManager.addfont(str(path))
    return family


def web_cjk_font(chars: str) -> bytes | None:
    """The CJK font cut down to ``chars``, as a WOFF file for a web page.

    A page that embeds it shows its Chinese on a machine with no CJK font
    installed; cut to the characters the page holds, it stays small (a few
    hundred bytes a character).  ``None`` without a CJK font.

    >>> data = web_cjk_font("四个全面")
    >>> data is None or data[:4] == b"wOFF"
    True
    """
    import io

    from fontTools import subset

    font = find_cjk_font()
    if font is None:
        return None
    options = subset.Options()
    options.flavor = "woff"  # zlib: needs no brotli, and every browser reads it
    options.font_number = 0  # a collection (.ttc): its first font
    options.layout_features = []  # plain horizontal text: no OpenType features needed
    options.hinting = False
    options.name_IDs = ["*"]
    data = subset.load_font(str(font.path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(data)
    out = io.BytesIO()
    subset.save_font(data, out, options)
    return out.getvalue()
