"""A job for queue tests: records what it was given."""
seen: list = []


def record(value) -> None:
    seen.append(value)
