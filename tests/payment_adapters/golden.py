"""Golden files for statement sources: an input (a file, or recorded API answers) ->
the normalised lines it gives (``expected_lines.json``) or the one-line refusal
(``expected_error.txt``). ``AMU_REGEN_GOLDEN=1`` rewrites the expected files from what
the code does now, for a human to review in the diff (beangulp's habit)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from payment_adapters import StatementLine

STATEMENTS = Path(__file__).parent / "statements"
REGENERATE = os.environ.get("AMU_REGEN_GOLDEN") == "1"
LINES, ERROR = "expected_lines.json", "expected_error.txt"


def normalised(line: StatementLine) -> dict:
    """A line as the golden files spell it (`raw` left out: it is the input again)."""
    return {
        "line": line.line_number,
        "kind": line.kind.value,
        "status": line.status.value,
        "provider_reference": line.provider_reference,
        "reference": line.reference,
        "operator_reference": line.operator_reference,
        "amount": line.amount,
        "fee": line.fee,
        "phone": line.phone,
        "network": line.network,
        "occurred_at": line.occurred_at.isoformat(),
    }


def cases(source: str) -> list[Path]:
    return sorted(path for path in (STATEMENTS / source).iterdir() if path.is_dir())


def check(case: Path, lines: list[StatementLine] | None, error: str | None) -> None:
    """Compare what a case gave with its expected file (or write it when regenerating)."""
    if REGENERATE:
        (case / LINES).unlink(missing_ok=True)
        (case / ERROR).unlink(missing_ok=True)
        if error is not None:
            (case / ERROR).write_text(error + "\n", encoding="utf-8")
        else:
            text = json.dumps([normalised(line) for line in lines], indent=1, ensure_ascii=False)
            (case / LINES).write_text(text + "\n", encoding="utf-8")
        return
    if (case / ERROR).exists():
        expected = (case / ERROR).read_text(encoding="utf-8").strip()
        assert error == expected, f"{case.name}: expected the refusal {expected!r}, got " + (
            repr(error) if error else f"{len(lines)} lines")
        return
    assert (case / LINES).exists(), f"{case}: no expected file; run with AMU_REGEN_GOLDEN=1"
    assert error is None, f"{case.name}: refused ({error}) but lines were expected"
    expected = json.loads((case / LINES).read_text(encoding="utf-8"))
    assert [normalised(line) for line in lines] == expected
