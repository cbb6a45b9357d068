"""Read side of norms, for other domains: which items a group's reviews dispute.

For now it publishes the norms service's read; the norms owner moves it here.
"""

from tuan.norms.service import disputed_items as disputed_items
