"""Notes (种草): first-hand posts about products, each linked product bought through the
author's share (ADR 0013)."""
