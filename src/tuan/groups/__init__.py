"""Groups: a group *is* a conversation (``groups.id`` = ``conversations.id``) with a name, roles
(owner, admin, member), a member cap, a join policy, invite links, a join-request queue,
introductions and sub-groups. Its members are the conversation's members, changed through
``tuan.chat.commands`` inside this domain's transaction, so a join and its cap check commit
together; the lines it writes into its chat are codes and parameters, said by each reader's page
in their language. ``domain`` holds the rules (who may do what to whom, policies, caps, links);
``service`` a group's life and settings, ``membership``, ``invites`` and ``join_requests`` the
rest. Join policies:

- ``open``: anyone with an invite link joins at once (and parent-group members join a sub-group);
- ``approval``: a link or a parent member's request creates a join request an admin decides;
- ``introduced``: only people a member introduces (vouches for) may join; who introduced whom is
  recorded for trust;
- ``verified``: like open, but only real-name verified people may join.
"""
