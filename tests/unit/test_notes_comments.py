"""The pure rules of comments, collections and reports: words, @mentions, who is told what."""

from __future__ import annotations

import pytest

from tuan.core.errors import TuanError
from tuan.notes.collections import check_name
from tuan.notes.comments import (
    COMMENTED,
    MENTIONED,
    REPLIED,
    check_comment,
    mentioned_usernames,
    recipients,
)
from tuan.notes.moderation import check_reason
from tuan.push.domain import describe
from tuan.web.i18n import LOCALES, render


def test_a_comment_is_trimmed_and_keeps_its_line_breaks() -> None:
    assert check_comment("  好吃吗？\n保质期多久？ ") == "好吃吗？\n保质期多久？"
    assert check_comment("字" * 1000) == "字" * 1000


@pytest.mark.parametrize(
    ("text", "code"),
    [("  \n ", "COMMENT_EMPTY"), ("字" * 1001, "COMMENT_INVALID"), ("响\x07铃", "COMMENT_INVALID")],
)
def test_a_bad_comment_is_refused_by_name(text: str, code: str) -> None:
    with pytest.raises(TuanError) as refused:
        check_comment(text)
    assert (refused.value.code, refused.value.field) == (code, "text")


def test_mentions_are_usernames_after_an_at_sign_once_each_in_order() -> None:
    said = "@fay 很脆。@李小雷 你也看看 @fay，mail me at amy@example.com @amy. @xy"
    assert mentioned_usernames(said) == ["fay", "李小雷", "amy"]
    assert mentioned_usernames(" ".join(f"@user{n}" for n in range(12))) == [
        f"user{n}" for n in range(10)
    ]


def test_each_person_is_told_once_and_the_commenter_never() -> None:
    # Fay replies to Kim on Amy's note, naming Amy, Kim, Sam and herself.
    amy, fay, kim, sam = 1, 2, 3, 4
    told = recipients(
        commenter=fay, note_author=amy, replied_to=kim, mentioned=[amy, kim, sam, fay]
    )
    assert told == {REPLIED: {kim}, MENTIONED: {amy, sam}, COMMENTED: set()}
    # Amy comments on her own note: nobody is told she commented.
    assert recipients(commenter=amy, note_author=amy, replied_to=None, mentioned=[]) == {
        REPLIED: set(),
        MENTIONED: set(),
        COMMENTED: set(),
    }
    assert recipients(commenter=fay, note_author=amy, replied_to=None, mentioned=[])[COMMENTED] == {
        amy
    }


def test_a_collection_name_is_one_trimmed_line_of_1_to_40_characters() -> None:
    assert check_name("  零食 清单 ") == "零食 清单"
    for bad in ("", "   ", "名" * 41, "两\n行"):
        with pytest.raises(TuanError) as refused:
            check_name(bad)
        assert (refused.value.code, refused.value.field) == ("COLLECTION_NAME_INVALID", "name")


def test_a_reason_is_1_to_200_characters() -> None:
    assert check_reason(" 广告\n站外交易 ") == "广告\n站外交易"
    for bad in (" ", "因" * 201, "\x00"):
        with pytest.raises(TuanError):
            check_reason(bad)


@pytest.mark.parametrize(
    ("kind", "zh", "en"),
    [
        (COMMENTED, "Fay 评论了你的笔记", "Fay commented on your note"),
        (REPLIED, "Fay 回复了你的评论", "Fay replied to your comment"),
        (MENTIONED, "Fay 在评论里@了你", "Fay mentioned you in a comment"),
    ],
)
def test_a_comment_notification_is_said_on_a_device_in_both_languages(
    kind: str, zh: str, en: str
) -> None:
    told = {"kind": kind, "data": {"note_id": 7, "comment_id": 9}, "conversation_id": None}
    shown = describe(told, actor_name="Fay", show_text=True, count=1)
    assert shown.body is not None
    said = {locale: render(locale, shown.body.code, shown.body.params) for locale in LOCALES}
    assert said == {"zh-CN": zh, "en": en}
