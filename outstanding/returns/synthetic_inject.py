"""Known errors for the synthetic returns: one injector per DfE rule code (placeholder)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Injection:
    def __init__(self, return_: str, year: int, codes: Iterable[str]) -> None:
        self.pending = list(codes)

    def offer(self, child: Any, taken: int) -> None:
        pass

    def finish(self, injected: dict[str, str] | None) -> None:
        pass
