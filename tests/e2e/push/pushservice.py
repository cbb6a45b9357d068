"""The local push service the push tests post to; it lives in ``tuan.bench.push_service`` so
that ``tuan bench push`` runs the same one."""

from tuan.bench.push_service import BrowserDevice, LocalPushService, Received, b64url, unb64url

__all__ = ["BrowserDevice", "LocalPushService", "Received", "b64url", "unb64url"]
