"""Purchase reports ("bought it") and verified-purchase reviews, and the ratings built from them.

Every rating a viewer sees counts only reviews whose authors let that viewer see their ratings
(``tuan.privacy.queries.visible_owners``)."""
