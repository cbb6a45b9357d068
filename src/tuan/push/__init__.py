"""Web Push (RFC 8030 delivery, RFC 8291 payload encryption, RFC 8292 VAPID): a person's devices
subscribe per session; each notification they get is pushed to those devices after commit, off
the request path (ADR 0012)."""
