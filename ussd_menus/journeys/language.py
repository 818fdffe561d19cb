"""Choose the language of the menus, for this session and the next ones. The list is
every language of the registry, each named as its speakers write it."""
from ..context import Ctx
from ..screens import HOME, Action, Choice, Journey


def _languages(ctx: Ctx) -> list[tuple[str, str]]:
    return list(ctx.catalog.names.items())


def _save(ctx: Ctx) -> None:
    ctx.services.set_language(ctx.phone, ctx.form["language"])
    ctx.lang = ctx.form["language"]


JOURNEY = Journey("language", (
    Choice("lang.menu", "lang.title", "language", _languages, "lang.save"),
    Action("lang.save", _save, next=HOME, refused=HOME),
))
