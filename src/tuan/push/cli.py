"""``tuan push ...``: Web Push keys."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Web Push notifications: the server's VAPID keys.", no_args_is_help=True)


@app.command("vapid-keys")
def vapid_keys(
    subject: Annotated[
        str, typer.Option(help="Contact for push services: mailto:you@example.com or https://…")
    ] = "mailto:admin@example.com",
) -> None:
    """Make a VAPID key pair (RFC 8292) and print the settings lines to put in .env.

    Keep the private key secret; changing keys later unsubscribes every device.
    """
    from tuan.push.vapid import generate_keys

    if not subject.startswith(("mailto:", "https://")):
        typer.echo("error: --subject must start with mailto: or https://", err=True)
        raise typer.Exit(2)
    private, public = generate_keys()
    typer.echo(f"TUAN_VAPID_PRIVATE_KEY={private}")
    typer.echo(f"TUAN_VAPID_PUBLIC_KEY={public}")
    typer.echo(f"TUAN_VAPID_SUBJECT={subject}")
