"""What a screen's functions see during one hop."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .catalog import Catalog
from .services import MenuServices, Option, ReferenceLists, Refused


@dataclass
class Ctx:
    services: MenuServices
    catalog: Catalog
    phone: str
    network: str | None
    lang: str
    today: date
    form: dict[str, Any]  # the session's form: functions read it, actions may add to it
    member_id: int | None = None
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def t(self, key: str, **params) -> str:
        return self.catalog.text(self.lang, key, **params)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, called at most once per hop (a screen may need a value twice)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def references(self) -> ReferenceLists:
        return self.memo("references", self.services.reference_lists)

    def label(self, option: Option) -> str:
        return option.labels.get(self.lang) or option.labels.get(self.catalog.default) or option.code

    def refusal(self, refused: Refused) -> str:
        """The member-facing text of a service's refusal (a generic one if unknown)."""
        if self.catalog.has(refused.reason):
            try:
                return self.t(refused.reason, **refused.params)
            except (KeyError, IndexError):
                pass
        return self.t("error.refused")
