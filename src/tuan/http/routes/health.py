from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tuan.core.outbox import backlog
from tuan.http.deps import ContainerDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class OutboxBacklog(BaseModel):
    waiting: int = Field(description="Events not yet published (due now or after a back-off)")
    retrying: int = Field(description="Of those, events whose handler failed at least once")
    dead: int = Field(description="Events given up on; see `tuan admin outbox`")


class Readiness(BaseModel):
    status: str
    checks: dict[str, bool]
    outbox: OutboxBacklog | None = Field(
        default=None, description="The durable event backlog (absent if the database is down)"
    )


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "The database or the bus is unreachable"}},
)
async def readyz(container: ContainerDep) -> JSONResponse:
    """The database and the event bus are reachable; how many durable events wait or failed."""
    checks = await container.readiness()
    ready = all(checks.values())
    outbox = None
    if checks["database"]:
        counts = await backlog(container.db)
        outbox = OutboxBacklog(waiting=counts.waiting, retrying=counts.retrying, dead=counts.dead)
    body = Readiness(status="ready" if ready else "not ready", checks=checks, outbox=outbox)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
