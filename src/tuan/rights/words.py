"""The archive's own words (its README and index page), in the person's language.

The archive is read offline, away from the web app's catalogues, so its few sentences live
here, one set per language the app speaks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:80rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.85rem}"
    "td,th{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top;text-align:left}"
    "section{overflow-x:auto}"
)


@dataclass(frozen=True)
class ArchiveWords:
    lang: str
    title: str
    intro: str
    file_line: str  # "{file}: {tables}"
    rows: str  # "{count} rows"
    photos: str  # "photos/: {count} files"

    def page_head(self) -> str:
        return (
            f'<!doctype html><html lang="{self.lang}"><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title><style>{STYLE}</style>"
            f"<h1>{html.escape(self.title)}</h1><p>{html.escape(self.intro)}</p>"
        )

    def page_foot(self, photo_count: int) -> str:
        return f"<p>{html.escape(self.photos.format(count=photo_count))}</p></html>\n"

    def readme(self, counts: Mapping[str, Mapping[str, int]], photo_count: int) -> str:
        lines = [self.title, "", self.intro, ""]
        for file, tables in sorted(counts.items()):
            listed = ", ".join(
                f"{table} ({self.rows.format(count=count)})" for table, count in tables.items()
            )
            lines.append(self.file_line.format(file=file, tables=listed))
        lines += ["", self.photos.format(count=photo_count), ""]
        return "\n".join(lines)


WORDS = {
    "en": ArchiveWords(
        lang="en",
        title="Your data from Tuan",
        intro=(
            "Everything Tuan holds about you, as it was when this archive was made: one JSON "
            "file per subject (each holds the tables named below), your photos in photos/, and "
            "this page to read it all without the app. Messages are the ones you wrote."
        ),
        file_line="{file}: {tables}",
        rows="{count} rows",
        photos="photos/: {count} files",
    ),
    "zh-CN": ArchiveWords(
        lang="zh-CN",
        title="你在团的数据",
        intro=(
            "这份存档包含团在生成时保存的关于你的全部数据："
            "每个主题一个 JSON 文件（其中的表列在下面），你的照片在 photos/ 文件夹，"
            "本页面可离线阅读全部内容。消息只包含你自己发送的。"
        ),
        file_line="{file}：{tables}",
        rows="{count} 行",
        photos="photos/：{count} 个文件",
    ),
}


def words_for(locale: str) -> ArchiveWords:
    return WORDS.get(locale, WORDS["en"] if locale.startswith("en") else WORDS["zh-CN"])
