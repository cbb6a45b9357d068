"""Paying for an order, and the payment provider's webhooks."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request, status
from pydantic import BaseModel, Field

from tuan.http.deps import ContainerDep, CurrentUser
from tuan.http.errors import error_responses
from tuan.http.routes.orders import OrderOut, order_out
from tuan.http.schemas import IdPath, Input
from tuan.payments import charging
from tuan.payments.provider import PaymentProviders

router = APIRouter(prefix="/api/v1", tags=["payments"])


class PayIn(Input):
    method: Literal["sandbox"] = "sandbox"
    sandbox_outcome: Literal["succeed", "fail", "late", "late_fail"] = Field(
        default="succeed",
        description="Sandbox only: succeed, fail, or answer later by a signed webhook "
        "(late: it succeeds, late_fail: it fails)",
    )
    answer_after_seconds: int = Field(default=5, ge=1, le=172_800)


class PaymentResultOut(BaseModel):
    payment_id: int
    reference: str
    status: Literal["pending", "succeeded", "failed", "refunded"]
    order: OrderOut


class WebhookOut(BaseModel):
    outcome: Literal["paid", "failed", "refunded", "duplicate"]


@router.post(
    "/orders/{order_id}/payments",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 409, 410, 413, 422, 503),
)
async def pay(
    order_id: IdPath, user: CurrentUser, container: ContainerDep, body: PayIn | None = None
) -> PaymentResultOut:
    """Pay for my order. ``pending`` means the provider answers later (by webhook); a second
    payment while one is under way is refused (409), so an order is never charged twice."""
    body = body or PayIn()
    attempt = await charging.pay_order(
        container,
        container.adapter(PaymentProviders),
        order_id=order_id,
        buyer_id=user.id,
        method=body.method,
        instruction=body.sandbox_outcome,
        answer_after_seconds=body.answer_after_seconds,
    )
    if attempt.outcome == "refunded":
        container.scheduler.kick()  # the refund it scheduled is due now
    return PaymentResultOut(
        payment_id=attempt.payment_id,
        reference=attempt.reference,
        status=attempt.status,
        order=await order_out(container, order_id, user.id),
    )


@router.post(
    "/payments/webhooks/sandbox",
    responses=error_responses(400, 401, 404, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "type": {"enum": ["charge.succeeded", "charge.failed"]},
                            "reference": {"type": "string"},
                            "failure_reason": {"type": ["string", "null"]},
                        },
                        "required": ["id", "type", "reference"],
                    }
                }
            },
        }
    },
)
async def sandbox_webhook(
    request: Request,
    container: ContainerDep,
    signature: Annotated[
        str | None,
        Header(
            alias="X-Sandbox-Signature",
            max_length=200,
            description="t=<unix time>,v1=<hex HMAC-SHA256 of 't.body'>",
        ),
    ] = None,
) -> WebhookOut:
    """The sandbox provider's answer about a charge. The signature is checked over the raw body
    before anything is read from it; a forged or stale one is refused and changes nothing."""
    provider = container.adapter(PaymentProviders).sandbox
    outcome = await container.run(
        charging.receive_webhook, provider, body=await request.body(), signature=signature
    )
    if outcome == "refunded":
        container.scheduler.kick()  # the refund it scheduled is due now
    return WebhookOut(outcome=outcome)
