"""Orders: cart, checkout with stock reservation and idempotency keys, the order state machine."""
