"""The demo's product pictures are drawn at seed time: a real image per product, each its own."""

from __future__ import annotations

import io

from PIL import Image

from tuan.demo.commerce import SHOPS
from tuan.demo.pictures import SIZE, caption, product_picture


def test_every_demo_product_gets_a_picture_of_its_own() -> None:
    names = [item[0] for _shop, _about, _rate, items in SHOPS for item in items]
    pictures = {name: product_picture(name) for name in names}
    assert len(set(pictures.values())) == len(names)
    for data in pictures.values():
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.size == (SIZE, SIZE)
        assert len(image.convert("RGB").getcolors(SIZE * SIZE) or []) > 20  # not a grey box


def test_the_same_product_always_gets_the_same_picture() -> None:
    assert product_picture("赣南脐橙 Navel oranges") == product_picture("赣南脐橙 Navel oranges")
    assert product_picture("不知道的东西 Something else")  # any name gets one


def test_the_caption_keeps_the_latin_name_without_a_chinese_font() -> None:
    written = caption("阳澄湖大闸蟹 Hairy crabs")
    assert written in ("Hairy crabs", "阳澄湖大闸蟹 Hairy crabs")
