"""Who may see what someone did: private by default.

Each person has one setting per kind of behaviour (``purchases``, ``ratings``) naming an
audience: ``nobody`` (the default), ``friends``, ``groups`` (members of groups they chose, while
both are in them) or ``shared_groups`` (anyone who is in a group with them). Blocked people, in
either direction, see nothing. Every query that can reveal behaviour — views, feeds, counts,
search, notifications, explanations, rankings — filters owners through :func:`visible_owners`
before it aggregates, so a hidden purchase cannot leak even through a count.
"""
