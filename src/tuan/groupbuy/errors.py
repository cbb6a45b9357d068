from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class TeamNotFound(TuanError):
    code = "TEAM_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such team, or it is private: join through its share link."


class TeamClosed(TuanError):
    code = "TEAM_CLOSED"
    kind = ErrorKind.GONE
    default_message = "This team is closed: it filled, expired or never opened."


class TeamFull(TuanError):
    code = "TEAM_FULL"
    kind = ErrorKind.CONFLICT
    default_message = (
        "Every place in this team is taken (some are waiting for payment); try again later."
    )


class AlreadyInTeam(TuanError):
    code = "ALREADY_IN_TEAM"
    kind = ErrorKind.CONFLICT
    default_message = "You are already in this team."
