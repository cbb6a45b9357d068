from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from tuan.core.errors import NotFound
from tuan.core.media import KEY_PATTERN, content_type_for
from tuan.http.deps import ContainerDep
from tuan.http.errors import error_responses

router = APIRouter(tags=["media"])


@router.get(
    "/media/{key:path}",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}, "image/png": {}}, "description": "The image"},
        **error_responses(404),
    },
)
async def get_media(key: str, container: ContainerDep) -> Response:
    """A stored image. Keys are content hashes, unguessable without the message that holds them."""
    data = await container.media.get(key) if KEY_PATTERN.match(key) else None
    if data is None:
        raise NotFound("No such media.")
    return Response(
        data,
        media_type=content_type_for(key),
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )
