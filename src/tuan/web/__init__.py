"""The web app: server-rendered pages (Jinja2) with small vanilla JavaScript modules that call the
JSON API, served by the same process at ``/`` (routes in ``tuan.http.routes.web``).

Nothing here is named ``models``, ``handlers`` or ``cli``: those names are domain conventions that
``tuan.discovery`` imports from every package.
"""
