"""Draw the app's icons (the favicon's people under one roof) as the PNGs browsers require to
install the web app: 192 and 512 px, a maskable 512 px (the drawing inside the 80 % safe zone)
and a 180 px Apple touch icon. Run once after changing the drawing; the PNGs are committed.

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "tuan" / "web" / "static" / "icons"
BLUE, WHITE, GOLD = "#0b5cad", "#ffffff", "#fbbf24"
SUPERSAMPLE = 4


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The favicon.svg drawing (a 64-unit square) at ``size`` px."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:  # full bleed background; the figure shrunk into the safe zone
        pen.rectangle((0, 0, big, big), fill=BLUE)
        scale, offset = big * 0.7 / 64, big * 0.15
    else:
        scale, offset = big / 64, 0.0
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * scale, fill=BLUE)

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x * scale, offset + y * scale

    def circle(cx: float, cy: float, r: float, fill: str) -> None:
        (x0, y0), (x1, y1) = at(cx - r, cy - r), at(cx + r, cy + r)
        pen.ellipse((x0, y0, x1, y1), fill=fill)

    # The roof/body: a half disc of radius 18 centred at (32, 40) over a rounded base to y=48.
    (x0, y0), (x1, y1) = at(14, 22), at(50, 58)
    pen.pieslice((x0, y0, x1, y1), 180, 360, fill=WHITE)
    (x0, y0), (x1, y1) = at(14, 40), at(50, 48)
    pen.rounded_rectangle((x0, y0, x1, y1), radius=4 * scale, fill=WHITE)
    pen.rectangle((*at(14, 40), *at(50, 44)), fill=WHITE)
    circle(22, 22, 7, GOLD)
    circle(42, 22, 7, GOLD)
    circle(32, 17, 8, WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
