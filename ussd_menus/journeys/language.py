"""Choose the language of the menus, for this session and the next ones."""
from ..context import Ctx
from ..screens import HOME, Action, Choice, Journey


def _save(ctx: Ctx) -> None:
    ctx.services.set_language(ctx.phone, ctx.form["language"])
    ctx.lang = ctx.form["language"]


JOURNEY = Journey("language", (
    Choice("lang.menu", "lang.title", "language", (("fr", "lang.fr"), ("en", "lang.en")), "lang.save"),
    Action("lang.save", _save, next=HOME, refused=HOME),
))
