"""Render a numbered bibliography the way a damaged PDF extraction prints it.

Damage kinds (recorded per entry in the facts file):
- ``missing``: the printed number is lost ("- Human Rights Watch. ...");
- ``ocr``: digits read as letters inside the number ("I7", "l2", "1O", "I03", "II");
- ``displaced``: the number left its place and sits inside or after the entry ("...: 20 Kenya", "... 2020. 34");
- ``wrapped``: the entry runs over two lines (the continuation plain or as " - ..." like the seed);
plus running page headers ("<Country>" / "MODERATE ADVANCEMENT") and blank lines between entries.
"""

from __future__ import annotations

import random
import re

_OCR = {"1": ("I", "l"), "0": ("O",)}
_STANDALONE = re.compile(r"(?<![\w/.:,$-])(\d{1,4})(?![\w/%:-]|[.,]\d)")
# where a displaced number lands: before a capitalised word after ": " or ". " (as "Report- 2019: 20 Mali")
_LANDING = re.compile(r"(?<=[:.]) (?=[A-Z][a-z])")


def ocr_forms(number: int) -> list[str]:
    """Every misreading of ``number`` where at least one digit 1/0 became a letter."""
    forms = [""]
    for ch in str(number):
        forms = [f + alt for f in forms for alt in (ch, *_OCR.get(ch, ()))]
    return [f for f in forms if not f.isdigit()]


def _wrap(text: str, rng: random.Random) -> str | None:
    """Break ``text`` at a space so each part is at least a few words (short repeated lines would be
    taken for page furniture) and the continuation does not open like a new entry."""
    spaces = [m.start() for m in re.finditer(" ", text)]
    spots = [i for i in spaces if len(text[:i].split()) >= 3 and len(text[i + 1:].split()) >= 5
             and not text[i + 1:].startswith("-")]
    if not spots:
        return None
    i = rng.choice(spots)
    indent = rng.choice((" - ", ""))
    return text[:i] + "\n" + indent + text[i + 1:]


def _displace(text: str, number: int, rng: random.Random) -> tuple[str, str] | None:
    if any(int(m.group(1)) == number for m in _STANDALONE.finditer(text)):
        return None  # the entry already holds this number: a displaced copy could not be told apart
    landings = [m.start() for m in _LANDING.finditer(text)]
    if landings and rng.random() < 0.5:
        i = rng.choice(landings)
        return text[:i] + f" {number}" + text[i:], "inside"
    if text.rstrip().endswith((".", "/")):
        return f"{text} {number}", "end"
    return None


def render(entries: list[str], rng: random.Random, header: tuple[str, str],
           avoid: set[int] = frozenset()) -> tuple[str, list[dict]]:
    """``entries[i]`` is the clean text of reference i+1. Returns the printed block and the damage.

    ``avoid``: numbers whose printed form the seed itself damaged; other places are chosen.
    """
    lines: list[str] = []
    damage: list[dict] = []
    header_after = set(rng.sample(range(10, len(entries) - 5), 2))
    for number, text in enumerate(entries, start=1):
        kind = "clean" if number in avoid else rng.choices(
            ("clean", "missing", "ocr", "displaced", "wrapped"), weights=(62, 12, 12, 5, 9))[0]
        body, record = f"{number} {text}", {"number": number, "kind": kind}
        if kind == "missing":
            body = text
        elif kind == "ocr":
            forms = ocr_forms(number)
            if forms:
                record["printed"] = rng.choice(forms)
                body = f"{record['printed']} {text}"
            else:
                record["kind"] = "missing"
                body = text
        elif kind == "displaced":
            moved = _displace(text, number, rng)
            if moved:
                body, record["where"] = moved
            else:
                record["kind"] = "clean"
        if kind == "wrapped" or (record["kind"] != "clean" and rng.random() < 0.2):
            wrapped = _wrap(body, rng)
            if wrapped:
                body = wrapped
                record["wrapped"] = True
            elif kind == "wrapped":
                record["kind"] = "clean"
        lines.append("- " + body)
        if record["kind"] != "clean" or record.get("wrapped"):
            damage.append(record)
        if number in header_after:
            lines.append(f"\n{header[0]}\n\n{header[1]}\n")
            damage.append({"number": number, "kind": "page-header-after"})
        elif rng.random() < 0.05:
            lines.append("")
    return "\n".join(lines) + "\n", damage
