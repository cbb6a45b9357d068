"""Trust and reputation, learned from what people do with each other.

**Tie strength.** Interactions (a direct message, a reply, a reaction, becoming friends, an
introduction into a group, buying on someone's share) add weight to a directed edge, and weight
decays with a half-life (``HALF_LIFE``). To keep updates race-free across server processes, an
edge stores its weight *scaled to a fixed epoch*: an interaction of weight ``w`` at time ``t``
adds ``w * 2 ** ((t - EPOCH) / HALF_LIFE)``; the weight now is the stored sum times
``2 ** (-(now - EPOCH) / HALF_LIFE)``. Every update is then a plain atomic addition
(``INSERT … ON CONFLICT DO UPDATE SET scaled = scaled + excluded.scaled``). The tie between two
people combines both directions and the groups they share, squashed into ``[0, 1)``.

**Transferred trust** ("familiarity transferred from layer to layer") is the best path product
over at most ``MAX_HOPS`` hops, damped per extra hop, so it never exceeds any link on its path.

**Reputation** per person and category is the smoothed share of their shared products that were
bought and rated good: ``(good + PRIOR * STRENGTH) / (rated + STRENGTH)``, explained in words
("14 of 15 of her recommendations in Food were rated good").
"""
