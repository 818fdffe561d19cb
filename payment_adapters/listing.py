"""Paging through a provider's JSON listing (FedaPay's transaction search, the fake
provider's statement), each page asked with bounded timeouts (the adapter's
`JsonHttpClient`) and bounded retries (`Retry`).

A page is ``{"<items key>": [...], "meta": {"next_page": n | null, "total_pages": n, ...}}``
as FedaPay's SDKs read its lists; a bare JSON array (how FedaPay's API reference draws
the search answer) is a page too, and the listing ends at the first short page. A
listing whose ``meta`` gives ``next_after`` (the fake provider's) is asked for the next
page with ``after=<next_after>``: page numbers alone skip an entry when an earlier one
moves out of its place while the listing is read.
"""
from __future__ import annotations

from typing import Callable, Iterator, Mapping, Sequence

from .errors import ProviderUnavailable, StatementError
from .http import JsonHttpClient, loads
from .retry import Retry

MAX_PAGES = 100_000  # a provider that never stops paging is a fault, not a statement


def page_through(http: JsonHttpClient, retry: Retry, path: str, params: Mapping[str, str],
                 items_keys: Sequence[str], per_page: int,
                 progress: Callable[[int], None] | None = None) -> Iterator[tuple[int, dict]]:
    """(position, entry) for every entry of every page, position counting from 1."""
    page, position, after = 1, 0, None
    while True:
        asked = {**params, "page": str(page), "per_page": str(per_page)}
        if after is not None:
            asked["after"] = str(after)
        try:
            items, meta = retry.call(lambda: _page(http, path, asked, items_keys, page))
        except ProviderUnavailable as exc:
            raise ProviderUnavailable(f"{http.provider}: the statement stopped at page {page}, "
                                      f"after {position} entries ({exc}); pull again later") from None
        for item in items:
            position += 1
            if not isinstance(item, dict):
                raise StatementError("not a JSON object", line=position, place="entry")
            yield position, item
        if progress is not None and items:
            progress(len(items))
        following = _next_page(meta, page, len(items), per_page)
        if following is None:
            return
        if following <= page or following > MAX_PAGES:
            raise ProviderUnavailable(
                f"{http.provider}: the listing's paging does not advance (page {page} "
                f"points to page {following})")
        page = following
        after = meta.get("next_after") if meta is not None else None


def _page(http: JsonHttpClient, path: str, params: Mapping[str, str],
          items_keys: Sequence[str], page: int) -> tuple[list, dict | None]:
    what = f"statement page {page}"
    reply = http.get(path, params)
    if not reply.ok:
        raise http.unexpected(reply, what)
    if reply.body is None:
        try:
            body = loads(reply.text)
        except ValueError:
            body = None
        if isinstance(body, list):
            return body, None
        raise ProviderUnavailable(f"{http.provider}: unreadable answer to {what} "
                                  f"(HTTP {reply.status})")
    for key in items_keys:
        if isinstance(reply.body.get(key), list):
            meta = reply.body.get("meta")
            return reply.body[key], meta if isinstance(meta, dict) else None
    raise ProviderUnavailable(f"{http.provider}: the answer to {what} has no "
                              f"{' or '.join(repr(key) for key in items_keys)} list")


def _next_page(meta: dict | None, page: int, count: int, per_page: int) -> int | None:
    if meta is not None and "next_page" in meta:
        following = meta["next_page"]
        return None if following in (None, "") else _whole(following)
    if meta is not None and meta.get("total_pages") not in (None, ""):
        return page + 1 if page < _whole(meta["total_pages"]) else None
    return page + 1 if count and count >= per_page else None


def _whole(value: object) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ProviderUnavailable(f"unreadable page number {value!r} in a listing") from None
