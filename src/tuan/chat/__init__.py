"""Chat: conversations (1:1 and group), members, messages and their stream positions.

Every conversation has one counter, ``last_seq``. Posting a message takes the next value as the
message's ``seq`` (its place in the conversation, immutable) and ``version``; any later change to
the message (edit, delete, reaction) takes the next value again as its new ``version``. So "give
me everything after N" is one indexed query (``version > N ORDER BY version``) that returns each
new or changed message exactly once, in its latest state, and a client's position is simply the
highest version it has seen. The counter is advanced with ``UPDATE … SET last_seq = last_seq + k
… RETURNING`` inside the posting transaction, so commits happen in position order (the row lock
on PostgreSQL, the single writer on SQLite).
"""
