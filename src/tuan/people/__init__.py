"""A person as someone else sees them: how the two are tied (friends, a request either way, a
block), what the viewer may do about it, the groups and friends they have in common, and the
people the viewer shares a group with but has not befriended yet."""
