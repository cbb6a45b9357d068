"""Full-text search that works for Chinese as well as English, on SQLite and on PostgreSQL.

Neither engine segments Chinese: SQLite's FTS5 ``unicode61`` tokenizer keeps a run of Han characters
as one token, the ``trigram`` tokenizer cannot match a two-character query, and PostgreSQL's parser
depends on the database locale. So Tuan indexes a *derived* search text instead of the raw words:

- a run of CJK characters (Han, kana, Hangul) becomes its single characters and every adjacent
  pair: ``每日坚果礼盒`` → ``每 日 坚 果 礼 盒 每日 日坚 坚果 果礼 礼盒``;
- any other word is NFKC-normalised, case-folded and stripped of accents: ``Café`` → ``cafe``.

A query is derived the same way, except that a CJK run of two or more characters is looked up by its
pairs only (``坚果`` → the pair ``坚果``; ``每日坚果`` → ``每日 日坚 坚果``), all of which must be
present, and Latin words match as prefixes (``nut`` finds ``nuts``). ``坚果`` is therefore found
inside ``每日坚果礼盒``, and a one-character query (``果``) matches the unigrams.

The derived text is stored in a plain column. On SQLite an FTS5 table with external content indexes
that column (kept in step by triggers, see :func:`sqlite_fts5_ddl`); on PostgreSQL a GIN index over
``array_to_tsvector(string_to_array(column, ' '))`` does, matched with a ``tsquery`` built from the
same terms. Both paths take the terms literally — no stemmer, no locale — so they agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Dialect, cast, func, literal, literal_column, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import InstrumentedAttribute

# Han (incl. extension A and compatibility ideographs), kana and Hangul syllables.
_CJK = (
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u31f0-\u31ff"
    r"\U00020000-\U0002fa1f"
)
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_SEARCH_TEXT = 20_000
MAX_QUERY_TERMS = 16
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _runs(raw: str) -> Iterable[tuple[str, bool]]:
    """(run, is_cjk) for every CJK run and every other word of ``raw``."""
    for match in _TOKEN.finditer(unicodedata.normalize("NFKC", raw)):
        run = match.group()
        if _IS_CJK.match(run):
            yield run, True
        else:
            folded = _fold(run)
            if folded:
                yield folded, False


def _unique(terms: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(terms))


def search_text(*parts: str | None) -> str:
    """The derived text to index for a document made of ``parts`` (name, description, …)."""
    terms: list[str] = []
    for part in parts:
        for run, is_cjk in _runs(part or ""):
            if is_cjk:
                terms.extend(run)
                terms.extend(run[i : i + 2] for i in range(len(run) - 1))
            else:
                terms.append(run)
    joined = " ".join(_unique(terms))
    if len(joined) > MAX_SEARCH_TEXT:  # cut at a term boundary, never inside a term
        joined = joined[: MAX_SEARCH_TEXT + 1].rsplit(" ", 1)[0]
    return joined


@dataclass(frozen=True)
class SearchQuery:
    """What a user typed, as terms: ``exact`` must appear as given, ``prefixes`` as word starts."""

    exact: tuple[str, ...]
    prefixes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.exact and not self.prefixes

    def fts5_match(self) -> str:
        """An FTS5 MATCH expression; terms contain only letters and digits, quoting is safe."""
        parts = [f'"{t}"' for t in self.exact] + [f'"{t}"*' for t in self.prefixes]
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """A ``tsquery`` literal (lexemes quoted, prefixes with ``:*``), parsed without a config."""
        parts = [f"'{t}'" for t in self.exact] + [f"'{t}':*" for t in self.prefixes]
        return " & ".join(parts)


def parse_query(raw: str) -> SearchQuery:
    exact: list[str] = []
    prefixes: list[str] = []
    for run, is_cjk in _runs(raw):
        if not is_cjk:
            prefixes.append(run)
        elif len(run) == 1:
            exact.append(run)
        else:
            exact.extend(run[i : i + 2] for i in range(len(run) - 1))
    exact, prefixes = _unique(exact), _unique(prefixes)
    room = max(0, MAX_QUERY_TERMS - len(exact))
    return SearchQuery(tuple(exact[:MAX_QUERY_TERMS]), tuple(prefixes[:room]))


def postgres_vector(
    column: ColumnElement[str] | InstrumentedAttribute[str],
) -> ColumnElement[object]:
    """The indexed expression on PostgreSQL; the GIN index must be built on exactly this."""
    # The separator is inlined (not a bound parameter) so the planner matches the index expression.
    return func.array_to_tsvector(func.string_to_array(column, literal_column("' '")))


def postgres_matches(
    column: ColumnElement[str] | InstrumentedAttribute[str], query: SearchQuery
) -> ColumnElement[bool]:
    vector = postgres_vector(column)
    return vector.op("@@")(cast(literal(query.tsquery()), TSQUERY))


def postgres_index_ddl(index: str, table: str, column: str) -> str:
    return (
        f"CREATE INDEX {index} ON {table} USING gin "
        f"(array_to_tsvector(string_to_array({column}, ' ')))"
    )


def sqlite_fts5_ddl(fts_table: str, table: str, column: str, key: str = "id") -> list[str]:
    """An external-content FTS5 index over ``table.column`` and the triggers keeping it in step.

    A SQLite "batch" migration that rebuilds ``table`` drops these triggers; such a migration must
    run this DDL again (after dropping the virtual table) and then ``'rebuild'`` the index.
    """
    # Identifiers here come from code (model constants), never from user input.
    delete_old = (
        f"INSERT INTO {fts_table}({fts_table}, rowid, {column}) "
        f"VALUES('delete', old.{key}, old.{column});"
    )
    insert_new = f"INSERT INTO {fts_table}(rowid, {column}) VALUES (new.{key}, new.{column});"  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE {fts_table} USING fts5({column}, content='{table}', "
        f"content_rowid='{key}')",
        f"CREATE TRIGGER {fts_table}_ai AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER {fts_table}_ad AFTER DELETE ON {table} BEGIN {delete_old} END",
        f"CREATE TRIGGER {fts_table}_au AFTER UPDATE OF {column} ON {table} "
        f"BEGIN {delete_old} {insert_new} END",
    ]


def sqlite_fts5_drop_ddl(fts_table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {fts_table}_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {fts_table}"
    ]


def matches(
    dialect: Dialect | str,
    *,
    key: ColumnElement[int] | InstrumentedAttribute[int],
    column: ColumnElement[str] | InstrumentedAttribute[str],
    fts_table: str,
    query: SearchQuery,
) -> ColumnElement[bool]:
    """A WHERE clause selecting the documents whose derived text matches ``query``."""
    name = dialect if isinstance(dialect, str) else dialect.name
    if name == "sqlite":
        # The table name is a model constant; the user's words travel as a bound parameter.
        lookup = f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH :fts_query"  # noqa: S608
        return key.in_(text(lookup).bindparams(fts_query=query.fts5_match()))
    return postgres_matches(column, query)


def is_full_text_index_table(name: str, fts_tables: Sequence[str]) -> bool:
    """True for an FTS5 table or one of its shadow tables (which no model describes)."""
    return any(name == fts or name in {fts + s for s in FTS5_SHADOW_SUFFIXES} for fts in fts_tables)


# --- schema comparison -----------------------------------------------------------------------

PG_INDEX_SUFFIX = "_search_terms"  # name full-text GIN indexes ix_<table>_search_terms
_autogenerate_hook_installed = False


def hide_search_indexes_from_autogenerate() -> None:
    """Keep Alembic's model/database comparison from reporting the full-text indexes as extra.

    They are built by raw DDL in migrations (an FTS5 virtual table with its shadow tables on
    SQLite, a GIN expression index on PostgreSQL) and no model describes them, so without this
    every autogenerate — and the test that models and migrations agree — would propose dropping
    them. Uses Alembic's documented third-party comparator hook; safe to call more than once.
    """
    global _autogenerate_hook_installed
    if _autogenerate_hook_installed:
        return
    from alembic.autogenerate.api import AutogenContext
    from alembic.autogenerate.compare import comparators
    from alembic.operations import ops
    from alembic.util import DispatchPriority, PriorityDispatchResult

    @comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
    def _drop_search_index_ops(
        autogen_context: AutogenContext, upgrade_ops: ops.UpgradeOps, _schemas: object
    ) -> PriorityDispatchResult:
        fts_tables: list[str] = []
        connection = autogen_context.connection
        if connection is not None and connection.dialect.name == "sqlite":
            fts_tables = list(
                connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
                ).scalars()
            )
        kept: list[ops.MigrateOperation] = []
        for op in upgrade_ops.ops:
            if isinstance(op, ops.DropTableOp) and is_full_text_index_table(
                op.table_name, fts_tables
            ):
                continue
            if isinstance(op, ops.ModifyTableOps):
                op.ops = [
                    inner
                    for inner in op.ops
                    if not (
                        isinstance(inner, ops.DropIndexOp)
                        and inner.index_name is not None
                        and str(inner.index_name).endswith(PG_INDEX_SUFFIX)
                    )
                ]
                if not op.ops:
                    continue
            kept.append(op)
        upgrade_ops.ops = kept
        return PriorityDispatchResult.CONTINUE

    _autogenerate_hook_installed = True
