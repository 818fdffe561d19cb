"""Jobs that apply stored callbacks (the rules: gateway.services.callback_application)."""
from __future__ import annotations

from gateway.runtime import get_runtime
from gateway.services import callback_application
from gateway.services.callbacks import judge_on_arrival


def read_callback(callback_id: int) -> None:
    """Read a stored callback that was never read (see the sweep); applying it follows."""
    judge_on_arrival(get_runtime(), callback_id)


def apply_callback(callback_id: int | None, lane: int | None = None) -> None:
    """Apply the callback and, on PostgreSQL, the others waiting. `lane`: the lane this
    job was queued for (gateway.services.callback_application.queue_apply), open again
    from now on so that callbacks arriving during this job wake another."""
    runtime = get_runtime()
    if lane is not None and runtime.redis is not None:
        runtime.redis.delete(callback_application.lane_key(lane))
    callback_application.apply_waiting(runtime, callback_id)
