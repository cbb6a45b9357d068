"""Notifications: durable records for a user (an @mention, a direct message, a friend or join
request), each with a per-user increasing position, pushed live and listable after a reconnect."""
