"""What notes holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

_DERIVED = "derived from the note's own words and tags, which are declared; deleted with the row"
_BY_THE_PAIR = "the other side of a pair whose owner is the person column; deleted with the row"

TABLES = (
    TableData(
        "notes",
        person="author_id",
        columns={
            # The note's links go with it; its shares stay, on the tombstone, as every share
            # does, so orders made through them keep their attribution.
            "author_id": Personal("notes.json", Erase.DELETE_ROW),
            "title": Personal("notes.json", Erase.DELETE_ROW),
            "text": Personal("notes.json", Erase.DELETE_ROW),
            "photos": Personal("photos/", Erase.DELETE_ROW, why="the files on disk go too"),
            "photo_alts": Personal("notes.json", Erase.DELETE_ROW),
            "tags": Personal("notes.json", Erase.DELETE_ROW),
            "area": Personal("notes.json", Erase.DELETE_ROW),
            "audience": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
            "hidden_reason": NotPersonal("an operator's reason for hiding the note"),
            "search_text": NotPersonal(_DERIVED),
        },
    ),
    TableData(
        "note_revisions",
        person=None,  # the note's author, through note_id; deleted with the note
        columns={
            "title": Personal("notes.json", Erase.DELETE_ROW),
            "text": Personal("notes.json", Erase.DELETE_ROW),
            "tags": Personal("notes.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "note_settings",
        person="user_id",
        columns={
            "user_id": Personal("settings.json", Erase.DELETE_ROW),
            "default_audience": Personal("settings.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "note_likes",
        person="user_id",
        columns={"user_id": Personal("note_likes.json", Erase.DELETE_ROW)},
    ),
    TableData(
        "note_helpful",
        person="user_id",
        columns={"user_id": Personal("note_likes.json", Erase.DELETE_ROW)},
    ),
    TableData(
        "note_collections",
        person="owner_id",
        columns={
            "owner_id": Personal("collections.json", Erase.DELETE_ROW),
            "name": Personal("collections.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "note_comments",
        person="author_id",
        columns={
            "author_id": Personal("note_comments.json", Erase.DELETE_ROW),
            "text": Personal("note_comments.json", Erase.DELETE_ROW),
            "mentions": Personal("note_comments.json", Erase.DELETE_ROW),
            "status": NotPersonal(SYSTEM_MADE),
            "hidden_reason": NotPersonal("an operator's reason for hiding the comment"),
        },
    ),
    TableData(
        "note_forwards",
        person="user_id",
        columns={"user_id": Personal("note_forwards.json", Erase.DELETE_ROW)},
    ),
    TableData(
        "note_follows",
        person="follower_id",
        columns={
            "follower_id": Personal("follows.json", Erase.DELETE_ROW),
            "followee_id": Personal("", Erase.DELETE_ROW, why=_BY_THE_PAIR),
        },
    ),
    TableData(
        "note_mutes",
        person="user_id",
        columns={
            "user_id": Personal("settings.json", Erase.DELETE_ROW),
            "keyword": Personal("settings.json", Erase.DELETE_ROW),
            "muted_user_id": Personal(
                "settings.json", Erase.DELETE_ROW, why="who the person muted is their own data"
            ),
        },
    ),
    TableData(
        "note_reports",
        person="reporter_id",
        columns={
            "reporter_id": Personal("reports.json", Erase.DELETE_ROW),
            "reason": Personal("reports.json", Erase.DELETE_ROW),
            "outcome": NotPersonal(SYSTEM_MADE),
        },
    ),
)
