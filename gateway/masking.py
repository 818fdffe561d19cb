"""What others may see of a member: a payer, a health facility."""


def mask_name(full_name: str) -> str:
    """'Kossi Mensah' -> 'Ko*** Me****': enough for a relative to recognise, not to read."""
    return " ".join(word[:2] + "*" * (len(word) - 2) for word in full_name.split())
