"""The RateLimit type: the caller's budget as this request left it (Query.rateLimit)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.graphql.ratelimit import REPORTED_KEY, STATE_KEY, Charge


@strawberry.type(
    description=(
        "The caller's rate limit: a budget of points per window, per API key or, without one, "
        "per client address. A request costs its estimated objects / 100, rounded up (at least "
        "1), plus a charge per mutation field."
    )
)
class RateLimit:
    limit: int = strawberry.field(description="Points per window.")
    cost: int = strawberry.field(description="Points this request cost.")
    remaining: int = strawberry.field(description="Points left in the window after it.")
    used: int = strawberry.field(description="Points spent in the window, this request included.")
    reset_at: datetime = strawberry.field(
        description="When the window ends and the budget is whole again (UTC)."
    )

    @classmethod
    def from_charge(cls, charge: Charge) -> RateLimit:
        return cls(
            limit=charge.limit,
            cost=charge.cost,
            remaining=charge.remaining,
            used=charge.used,
            reset_at=charge.reset_datetime,
        )


def resolve_rate_limit(info: Info) -> RateLimit | None:
    """The budget after this request's charge; null when rate limits are off."""
    request = info.context.request
    if request is None:
        return None
    state = request.scope.setdefault("state", {})
    # An answer that tells the budget changes with every request: the cache must not keep it.
    state[REPORTED_KEY] = True
    charge = state.get(STATE_KEY)
    return RateLimit.from_charge(charge) if isinstance(charge, Charge) else None
