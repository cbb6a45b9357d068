"""Pictures for the demo's products, drawn at seed time with Pillow (nothing is downloaded).

Each product gets a square picture: a soft background in its own colours, a simple drawing of
what it is (fruit, a box, a bottle, a fish…) and its name underneath. The Latin part of the name
is always drawn; the Chinese part too when the machine has a CJK font. The same product always
gets the same picture.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 800
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
Colour = tuple[int, int, int]
Draw = ImageDraw.ImageDraw
Motif = Callable[[Draw, Colour], None]


def _fruit(draw: Draw, colour: Colour) -> None:
    for x, y in ((300, 360), (500, 360), (400, 250)):
        draw.ellipse(
            (x - 110, y - 110, x + 110, y + 110), fill=colour, outline=_darker(colour), width=6
        )
        draw.ellipse((x - 60, y - 70, x - 20, y - 30), fill=_lighter(colour))
    draw.ellipse((400, 110, 500, 160), fill=(60, 150, 70))


def _cherries(draw: Draw, colour: Colour) -> None:
    draw.line((300, 380, 420, 140), fill=(90, 120, 40), width=10)
    draw.line((520, 380, 420, 140), fill=(90, 120, 40), width=10)
    draw.ellipse((420, 110, 540, 170), fill=(60, 150, 70))
    for x in (300, 520):
        draw.ellipse((x - 100, 330, x + 100, 530), fill=colour, outline=_darker(colour), width=6)
        draw.ellipse((x - 60, 370, x - 20, 410), fill=_lighter(colour))


def _box(draw: Draw, colour: Colour) -> None:
    draw.rounded_rectangle((190, 180, 610, 520), 24, fill=colour, outline=_darker(colour), width=6)
    draw.polygon(((190, 180), (260, 120), (680, 120), (610, 180)), fill=_lighter(colour))
    draw.polygon(((610, 180), (680, 120), (680, 460), (610, 520)), fill=_darker(colour))
    draw.rectangle((370, 180, 430, 520), fill=(250, 250, 245))
    draw.rounded_rectangle((250, 300, 550, 400), 16, fill=(255, 255, 255))


def _bottle(draw: Draw, colour: Colour) -> None:
    draw.rounded_rectangle((270, 220, 530, 540), 60, fill=colour, outline=_darker(colour), width=6)
    draw.rectangle((350, 150, 450, 230), fill=_darker(colour))
    draw.rounded_rectangle((330, 100, 470, 160), 14, fill=(60, 60, 70))
    draw.rounded_rectangle((310, 330, 490, 430), 16, fill=(255, 255, 255))
    draw.ellipse((300, 250, 340, 320), fill=_lighter(colour))


def _flask(draw: Draw, colour: Colour) -> None:
    draw.rounded_rectangle((320, 150, 480, 560), 50, fill=colour, outline=_darker(colour), width=6)
    draw.rounded_rectangle((310, 100, 490, 170), 20, fill=(70, 70, 80))
    draw.rectangle((320, 260, 480, 290), fill=_lighter(colour))


def _fish(draw: Draw, colour: Colour) -> None:
    draw.ellipse((120, 250, 600, 430), fill=colour, outline=_darker(colour), width=6)
    draw.polygon(((580, 340), (700, 240), (700, 440)), fill=_darker(colour))
    draw.ellipse((190, 300, 230, 340), fill=(30, 30, 40))
    draw.arc((260, 270, 360, 410), 300, 60, fill=_darker(colour), width=6)


def _crab(draw: Draw, colour: Colour) -> None:
    for side in (-1, 1):
        for step in range(3):
            x = 400 + side * 150
            draw.line((x, 380 + step * 40, x + side * 150, 430 + step * 50), fill=colour, width=16)
        draw.ellipse((400 + side * 200 - 60, 150, 400 + side * 200 + 60, 250), fill=colour)
    draw.ellipse((220, 240, 580, 480), fill=colour, outline=_darker(colour), width=6)
    for x in (350, 450):
        draw.ellipse((x - 20, 270, x + 20, 310), fill=(255, 255, 255))


def _pods(draw: Draw, colour: Colour) -> None:
    for index, (x, y) in enumerate(((290, 260), (500, 280), (330, 450), (520, 460))):
        shade = colour if index % 2 == 0 else _lighter(colour)
        draw.ellipse(
            (x - 100, y - 80, x + 100, y + 80), fill=shade, outline=_darker(colour), width=6
        )
        draw.ellipse((x - 50, y - 50, x - 10, y - 20), fill=(255, 255, 255))


def _mask(draw: Draw, colour: Colour) -> None:
    draw.arc((120, 230, 300, 450), 90, 270, fill=(200, 200, 210), width=10)
    draw.arc((500, 230, 680, 450), 270, 90, fill=(200, 200, 210), width=10)
    draw.rounded_rectangle((200, 220, 600, 460), 50, fill=colour, outline=_darker(colour), width=6)
    for y in (290, 340, 390):
        draw.line((220, y, 580, y), fill=_darker(colour), width=5)


def _books(draw: Draw, colour: Colour) -> None:
    shades = (colour, (240, 180, 60), (90, 170, 120), (220, 100, 90))
    for index, shade in enumerate(shades):
        top = 160 + index * 95
        draw.rounded_rectangle((220 - index * 10, top, 580 + index * 10, top + 85), 10, fill=shade)
        draw.rectangle((250 - index * 10, top + 30, 420, top + 50), fill=(255, 255, 255))


MOTIFS: dict[str, tuple[Motif, Colour]] = {
    "crab": (_crab, (214, 82, 52)),
    "fish": (_fish, (150, 165, 185)),
    "orange": (_fruit, (244, 150, 40)),
    "cherry": (_cherries, (190, 30, 50)),
    "nuts": (_box, (170, 110, 60)),
    "candy": (_box, (230, 120, 140)),
    "tissue": (_box, (120, 180, 220)),
    "pods": (_pods, (110, 110, 210)),
    "thermos": (_flask, (80, 90, 110)),
    "perfume": (_bottle, (230, 120, 160)),
    "cleanser": (_bottle, (120, 200, 190)),
    "mask": (_mask, (150, 200, 235)),
    "diaper": (_box, (250, 200, 90)),
    "book": (_books, (80, 130, 210)),
    "cereal": (_box, (235, 210, 150)),
}
# Which drawing a product gets, by a word in its (English) name.
WORDS = (
    ("crab", "crab"),
    ("hairtail", "fish"),
    ("orange", "orange"),
    ("cherr", "cherry"),
    ("nut", "nuts"),
    ("nougat", "candy"),
    ("tissue", "tissue"),
    ("pod", "pods"),
    ("thermos", "thermos"),
    ("perfume", "perfume"),
    ("cleanser", "cleanser"),
    ("mask", "mask"),
    ("diaper", "diaper"),
    ("book", "book"),
    ("cereal", "cereal"),
)


def _darker(colour: Colour) -> Colour:
    red, green, blue = colour
    return (int(red * 0.7), int(green * 0.7), int(blue * 0.7))


def _lighter(colour: Colour) -> Colour:
    red, green, blue = colour
    return (red + (255 - red) // 2, green + (255 - green) // 2, blue + (255 - blue) // 2)


def _motif(name: str) -> tuple[Motif, Colour]:
    lowered = name.lower()
    for word, motif in WORDS:
        if word in lowered:
            return MOTIFS[motif]
    # Anything else: a box in a colour of its own.
    digest = hashlib.sha256(name.encode()).digest()
    return _box, (80 + digest[0] % 150, 80 + digest[1] % 150, 80 + digest[2] % 150)


def _font(size: int, cjk: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if cjk:
        for path in CJK_FONTS:
            if Path(path).exists():
                return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _has_cjk_font() -> bool:
    return any(Path(path).exists() for path in CJK_FONTS)


def caption(name: str) -> str:
    """What is written under the drawing: the whole name with a CJK font, else its Latin part."""
    if _has_cjk_font():
        return name
    latin = re.sub(r"[^\x00-\x7f]+", " ", name)
    return " ".join(latin.split()) or name


def _write(draw: Draw, text: str) -> None:
    size = 64
    font = _font(size, cjk=not text.isascii())
    while size > 24 and draw.textlength(text, font=font) > SIZE - 80:
        size -= 4
        font = _font(size, cjk=not text.isascii())
    width = draw.textlength(text, font=font)
    draw.text(((SIZE - width) / 2, 640), text, font=font, fill=(40, 40, 50))


def product_picture(name: str) -> bytes:
    """A PNG of the product called ``name``, SIZE pixels square."""
    motif, colour = _motif(name)
    image = Image.new("RGB", (SIZE, SIZE), _lighter(_lighter(colour)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 600, SIZE, SIZE), fill=(255, 255, 255))
    draw.ellipse((180, 520, 620, 600), fill=_lighter(colour))
    motif(draw, colour)
    _write(draw, caption(name))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
