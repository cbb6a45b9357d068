"""Kept for asks (the feeds helper's), which imports these here until it takes them from
:mod:`tuan.chat.commands`, where server-made messages now live. Delete once it does."""

from tuan.chat.commands import post_server_message, rewrite_server_message

__all__ = ["post_server_message", "rewrite_server_message"]
