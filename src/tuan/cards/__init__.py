"""Product cards: a share posted into a chat as a card that shows the live price, the time left on
a deal, a team's fill state and, always, whether the sharer is paid for it. Forwarding a card keeps
the chain (``parent_share_id``); likes and comments are counted per card and per report."""
