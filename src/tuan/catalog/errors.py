from __future__ import annotations

from tuan.core.errors import ErrorKind, TuanError


class MerchantNotApproved(TuanError):
    code = "MERCHANT_NOT_APPROVED"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only verified users or merchants approved by an operator can open a shop."


class NotShopOwner(TuanError):
    code = "NOT_SHOP_OWNER"
    kind = ErrorKind.FORBIDDEN
    default_message = "Only the shop's owner can do that."


class ShopNotFound(TuanError):
    code = "SHOP_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such shop."


class ProductNotFound(TuanError):
    code = "PRODUCT_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such product."


class SkuNotFound(TuanError):
    code = "SKU_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such SKU (product variant)."


class ImageNotFound(TuanError):
    code = "IMAGE_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such image on this product."


class DealNotFound(TuanError):
    code = "DEAL_NOT_FOUND"
    kind = ErrorKind.NOT_FOUND
    default_message = "No such deal."


class CurrencyMismatch(TuanError):
    code = "CURRENCY_MISMATCH"
    default_message = "The currencies do not match."


class InvalidPrice(TuanError):
    code = "INVALID_PRICE"
    default_message = "A price is a positive whole number of minor units (fen, cents)."


class InvalidText(TuanError):
    code = "INVALID_TEXT"
    default_message = "The text is empty, too long or contains control characters."


class UnknownCategory(TuanError):
    code = "UNKNOWN_CATEGORY"
    default_message = "No such category; GET /api/v1/categories lists them."


class InvalidTeamSettings(TuanError):
    code = "INVALID_TEAM_SETTINGS"
    default_message = "A team is 2 to 50 people with a deadline of 1 to 168 hours."


class SkuLabelTaken(TuanError):
    code = "SKU_LABEL_TAKEN"
    kind = ErrorKind.CONFLICT
    default_message = "This product already has a variant with that label."


class StockWouldGoNegative(TuanError):
    code = "STOCK_WOULD_GO_NEGATIVE"
    kind = ErrorKind.CONFLICT
    default_message = "There is not that much stock left to remove."


class InvalidDeal(TuanError):
    code = "INVALID_DEAL"
    default_message = "The deal is not valid."


class DealOverlaps(TuanError):
    code = "DEAL_OVERLAPS"
    kind = ErrorKind.CONFLICT
    default_message = "This SKU already has a deal during that time."


class ProductArchived(TuanError):
    code = "PRODUCT_ARCHIVED"
    kind = ErrorKind.GONE
    default_message = "This product is no longer sold."


class SoldOut(TuanError):
    code = "SOLD_OUT"
    kind = ErrorKind.CONFLICT
    default_message = "Sold out."


class DealSoldOut(TuanError):
    code = "DEAL_SOLD_OUT"
    kind = ErrorKind.CONFLICT
    default_message = "Everything at the deal price has been sold."


class DealEnded(TuanError):
    code = "DEAL_ENDED"
    kind = ErrorKind.GONE
    default_message = "This deal has ended; the normal price holds again."


class DealNotStarted(TuanError):
    code = "DEAL_NOT_STARTED"
    kind = ErrorKind.CONFLICT
    default_message = "This deal has not started yet."


class OverCustomerLimit(TuanError):
    code = "OVER_CUSTOMER_LIMIT"
    default_message = "That is more than one customer may buy at this deal price."


class NoTeamPrice(TuanError):
    code = "NO_TEAM_PRICE"
    default_message = "This product is not sold by team purchase."


class TooManyVariants(TuanError):
    code = "TOO_MANY_VARIANTS"
    default_message = "A product has 1 to 50 SKUs."


class TooManyImages(TuanError):
    code = "TOO_MANY_IMAGES"
    kind = ErrorKind.CONFLICT
    default_message = "A product has at most 9 images; remove one first."


class InvalidStock(TuanError):
    code = "INVALID_STOCK"
    default_message = "Stock is 0 to 1,000,000 units."


class InvalidCommissionRate(TuanError):
    code = "INVALID_COMMISSION_RATE"
    default_message = "A commission rate is 0 to 5000 basis points (0 % to 50 %)."
