"""A job for queue tests: records what it was given."""
seen: list = []


def record(value) -> None:
    seen.append(value)


def mark(key: str) -> None:
    """Set `key` in the worker's Redis: a job another process can see ran."""
    from gateway.runtime import get_runtime

    get_runtime().redis.set(key, "ran", ex=300)


def fail(message: str) -> None:
    """A job that fails with `message` (as a database error naming a row would)."""
    raise RuntimeError(message)
