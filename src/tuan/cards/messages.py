"""Server-written messages (cards and reports): chat's, published in :mod:`tuan.chat.commands`
(moved there so that the domains above chat post them through chat's public surface)."""

from tuan.chat.commands import conversation_for_sender as conversation_for_sender
from tuan.chat.commands import post_server_message as post_server_message
from tuan.chat.commands import rewrite_server_message as rewrite_server_message
