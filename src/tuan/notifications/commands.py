"""What other domains do to notifications inside their own transaction: notify people (a mention
in a server-written message commits with the message)."""

from tuan.notifications.service import notify_users as notify_users
