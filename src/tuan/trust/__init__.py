"""Trust and reputation, learned from what people do with each other.

**Tie strength.** Interactions (a direct message, a reply, a reaction, becoming friends, an
introduction into a group, buying on someone's share) add weight to a directed edge, and weight
decays with a half-life (``HALF_LIFE``). To keep updates race-free across server processes, an
edge stores its weight *scaled to a fixed epoch*: an interaction of weight ``w`` at time ``t``
adds ``w * 2 ** ((t - EPOCH) / HALF_LIFE)``; the weight now is the stored sum times
``2 ** (-(now - EPOCH) / HALF_LIFE)``. Every update is then a plain atomic addition
(``INSERT … ON CONFLICT DO UPDATE SET scaled = scaled + excluded.scaled``). A tie is that weight
plus a little for each group the two share, squashed into ``[0, 1)``.

**Trust shown to a viewer** is only what the viewer has: their own edge towards a person and
the groups they share (:func:`tuan.trust.queries.trust_seen_by`). The other direction and
friend-of-friend paths are not read, because buying on a share is an edge too (buyer → sharer)
and a purchase may be hidden from the viewer; a hidden purchase must not move a trust weight
anyone else sees (ADR 0005 made the same choice for "For you").

**Reputation** per person and category is the smoothed share of their shared products that were
bought and rated good: ``(good + PRIOR * STRENGTH) / (rated + STRENGTH)``, explained in words
("14 of 15 of her recommendations in Food were rated good"). The stored counters include hidden
purchases and ratings, so they are never shown as they are: :mod:`tuan.proof` recounts a record
for each viewer from what that viewer may see.
"""
