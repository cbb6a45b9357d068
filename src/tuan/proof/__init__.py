"""Social proof for an item (friends who bought it, friends' ratings, my groups that bought it,
each group's rating) and recommenders' reputation — all through the privacy gate."""
