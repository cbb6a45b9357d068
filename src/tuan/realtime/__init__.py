"""Real time: the per-process connection hub and the WebSocket connection model."""
