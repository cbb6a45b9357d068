"""Community norms, per group, set by its admins and enforced when a product is shared into it:
disputed items, a promotion cap, a new-member cooldown. Paid shares are always labelled."""
