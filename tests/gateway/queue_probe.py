"""A job for queue tests: records what it was given."""
seen: list = []


def record(value) -> None:
    seen.append(value)


def mark(key: str) -> None:
    """Set `key` in the worker's Redis: a job another process can see ran."""
    from gateway.runtime import get_runtime

    get_runtime().redis.set(key, "ran", ex=300)
