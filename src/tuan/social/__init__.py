"""The social graph: friend requests, friendships (with the group they met in, when there is one)
and blocks. A block hides the blocker from the blocked person: no messages, no invitations, no
friend requests, no profile details."""
