"""The seed report's figures a synthetic report changes, where each sits in the seed, and how
new values are drawn.

Every figure is replaced through a literal of the seed that must occur exactly as often as
stated, so a changed seed fails loudly instead of leaving the Mali figure in place. ``refs``
are the seed's reference numbers backing the figure (remapped by the bibliography permutation
when questions are written). Table rows carry two years: ``<key>_prior`` is the column of the
year before the edition, and an earlier edition's current column repeats the later edition's
prior column, as real consecutive editions do.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def _money(lo: int, hi: int, step: int) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.randrange(lo, hi, step):,}"


def _int(lo: int, hi: int, comma: bool = False) -> Callable[[random.Random], str]:
    return lambda rng: (f"{rng.randint(lo, hi):,}" if comma else str(rng.randint(lo, hi)))


def _pct(lo: float, hi: float) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.uniform(lo, hi):.1f}"


def _word(lo: int, hi: int) -> Callable[[random.Random], str]:
    return lambda rng: WORDS[rng.randint(lo, hi)]


@dataclass(frozen=True)
class Figure:
    key: str
    seed_value: str
    draw: Callable[[random.Random], str]
    refs: tuple[int, ...]  # seed reference numbers backing the (current-year) statement
    per_country: bool = False  # the same in every edition of a country (survey figures, age limits)
    paired: bool = False  # a table row with a prior-year column, ``<key>_prior``
    prior_refs: tuple[int, ...] = ()
    unique: bool = True  # differs between reports too (a small domain such as an age limit cannot)
    prior_printed: bool = True  # the prior-year value is printed (not only a difference to it)


FIGURES: tuple[Figure, ...] = (
    Figure("anti_trafficking_funding", "350,000", _money(120_000, 900_000, 10_000), ()),
    Figure("army_children", "24", _int(11, 60), (4, 20, 34, 36, 75, 76, 77, 78, 79)),
    Figure("displaced_child_slaves", "125", _int(40, 400), (4,)),
    Figure("armed_group_cases", "62", _int(45, 140), (4,)),
    Figure("reunited_children", "32", _int(12, 40), (4,)),
    Figure("unicef_cases", "39", _int(15, 90), (4, 34, 36)),
    Figure("closed_schools", "1,217", _int(300, 2900, comma=True), (4, 42, 43, 44)),
    Figure("working_pct", "49.2", _pct(12, 60), (8,), per_country=True),
    Figure("attending_pct", "43.3", _pct(35, 95), (8,), per_country=True),
    Figure("combining_pct", "26.0", _pct(5, 40), (8,), per_country=True),
    Figure("completion_pct", "49.6", _pct(40, 99), (7,), per_country=True),
    Figure("min_age_work", "15", lambda rng: rng.choice(("14", "16")), (48,), per_country=True,
           unique=False),
    Figure("workforce_millions", "6.5", _pct(2.1, 19.9), (68, 69, 70, 71), per_country=True),
    Figure("inspectorate_funding", "85,000", _money(20_000, 600_000, 5_000), (4,), paired=True, prior_refs=(68,)),
    Figure("labor_inspectors", "113", _int(25, 400), (4,), paired=True, prior_refs=(68,)),
    Figure("inspections", "671", _int(150, 4000, comma=True), (4,), paired=True, prior_refs=(68,)),
    Figure("labor_violations", "13,772", _int(800, 30_000, comma=True), (4,)),
    Figure("directorate_increase", "100,000", _money(40_000, 400_000, 10_000), (4,)),
    Figure("investigations", "2", _int(3, 30), (4,), paired=True, prior_refs=(68,)),
    Figure("violations_found", "46", _int(5, 99), (4, 34), paired=True, prior_refs=(68,)),
    # "employed 25 staff, 3 fewer than in 2018": the prior count is implied, never printed
    Figure("bpmc_staff", "25", _int(12, 60), (4, 68), paired=True, prior_refs=(4, 68), prior_printed=False),
    Figure("koranic_teachers", "two", _word(3, 9), (4, 34)),
    Figure("begging_children", "five", _word(6, 12), (4, 34)),
    Figure("ngo_funding", "100,000", _money(30_000, 300_000, 5_000), (34,)),
    Figure("stakeholders", "400", _int(120, 900), (34,)),
    Figure("trafficking_victims", "106", _int(40, 300), (34,)),
    Figure("tip_cases", "33", _int(10, 80), (34,)),
    Figure("aba_trained", "27", _int(12, 80), (34,)),
)
BY_KEY = {f.key: f for f in FIGURES}

# (seed literal, template, occurrences). Templates name figures; {year}/{prior_year} are not used
# here: years are shifted afterwards for an earlier edition. "\$" is the seed's LaTeX escape.
SUBSTITUTIONS: tuple[tuple[str, str, int], ...] = (
    (r"allocated \$350,000 to", r"allocated \${anti_trafficking_funding} to", 1),
    ("recruited and used 24 children", "recruited and used {army_children} children", 2),
    ("identified 125 displaced", "identified {displaced_child_slaves} displaced", 1),
    ("identifying 62 cases of children", "identifying {armed_group_cases} cases of children", 1),
    ("that 32 of the 62 children", "that {reunited_children} of the {armed_group_cases} children", 1),
    ("at least 39 cases of child soldiers", "at least {unicef_cases} cases of child soldiers", 1),
    ("A total of 1,217 schools", "A total of {closed_schools} schools", 1),
    ("Working (% and population)\t5 to 14\t49.2", "Working (% and population)\t5 to 14\t{working_pct}", 1),
    ("Attending School (%)\t5 to 14\t43.3", "Attending School (%)\t5 to 14\t{attending_pct}", 1),
    ("Combining Work and School (%)\t7 to 14\t26.0", "Combining Work and School (%)\t7 to 14\t{combining_pct}", 1),
    ("Primary Completion Rate (%)\t\t49.6", "Primary Completion Rate (%)\t\t{completion_pct}", 1),
    ("Minimum Age for Work\tYes\t15\t", "Minimum Age for Work\tYes\t{min_age_work}\t", 1),
    ("approximately 6.5 million workers", "approximately {workforce_millions} million workers", 1),
    ("would employ about 161 inspectors", "would employ about {inspectors_needed} inspectors", 1),
    (r"Labor Inspectorate Funding	\$70,000 (68)	\$85,000 (4)",
     r"Labor Inspectorate Funding	\${inspectorate_funding_prior} (68)	\${inspectorate_funding} (4)", 1),
    ("Number of Labor Inspectors\t109 (68)\t113 (4)",
     "Number of Labor Inspectors\t{labor_inspectors_prior} (68)\t{labor_inspectors} (4)", 1),
    ("Number of Labor Inspections Conducted\tUnknown (68)\t671 (4)",
     "Number of Labor Inspections Conducted\t{inspections_prior} (68)\t{inspections} (4)", 1),
    ("Number Conducted at Worksite\tUnknown (68)\t671 (4)",
     "Number Conducted at Worksite\t{inspections_prior} (68)\t{inspections} (4)", 1),
    ("conducted 671 inspections in 2019 and identified 13,772 labor law violations",
     "conducted {inspections} inspections in 2019 and identified {labor_violations} labor law violations", 1),
    (r"budget by approximately \$100,000 compared", r"budget by approximately \${directorate_increase} compared", 1),
    (r"increase of \$15,000 for the labor", r"increase of \${funding_increase} for the labor", 1),
    ("Number of Investigations\tI (68)\t2 (4)", "Number of Investigations\t{investigations_prior} (68)\t{investigations} (4)", 1),
    ("Number of Violations Found\t3 (68)\t46 (4,34)",
     "Number of Violations Found\t{violations_found_prior} (68)\t{violations_found} (4,34)", 1),
    ("the BPMC employed 25 staff, 3 fewer than in 2018", "the BPMC employed {bpmc_staff} staff, {bpmc_fewer} fewer than in 2018", 1),
    ("arrested two Koranic teachers", "arrested {koranic_teachers} Koranic teachers", 1),
    ("exploited five children", "exploited {begging_children} children", 1),
    (r"provided \$100,000 in funding to NGOs", r"provided \${ngo_funding} in funding to NGOs", 1),
    ("educated 400 stakeholders", "educated {stakeholders} stakeholders", 1),
    ("a total of 106 trafficking victims", "a total of {trafficking_victims} trafficking victims", 1),
    ("at least 33 new trafficking", "at least {tip_cases} new trafficking", 1),
    ("program trained 27 representatives", "program trained {aba_trained} representatives", 1),
)


def _plain(value: str) -> int:
    return int(value.replace(",", ""))


def _fresh(fig: Figure, rng: random.Random, used: set[str]) -> str:
    """A value differing from the seed's and, while the figure's range allows (a few hundred
    reports exhaust "three".."nine"), from every other report's value of this figure."""
    for attempt in range(400):
        value = fig.draw(rng)
        repeat_ok = not fig.unique or attempt >= 200
        if value != fig.seed_value and (value not in used or repeat_ok):
            used.add(value)
            return value
    raise RuntimeError(f"cannot draw a value for {fig.key} unlike the seed's")


def draw_figures(rng: random.Random, used: dict[str, set[str]], country_values: dict[str, str],
                 later: dict[str, str] | None) -> dict[str, str]:
    """Figures of one edition. ``later``: the next edition's figures, whose prior-year columns
    become this edition's current ones; ``country_values`` are shared by every edition."""
    values: dict[str, str] = {}
    for fig in FIGURES:
        pool = used.setdefault(fig.key, set())
        if fig.per_country:
            if fig.key not in country_values:
                country_values[fig.key] = _fresh(fig, rng, pool)
            values[fig.key] = country_values[fig.key]
            continue
        values[fig.key] = later[f"{fig.key}_prior"] if (later and fig.paired) else _fresh(fig, rng, pool)
        if fig.paired:
            values[f"{fig.key}_prior"] = _fresh(fig, rng, pool)
    _make_consistent(values, rng)
    return values


def _make_consistent(values: dict[str, str], rng: random.Random) -> None:
    """Derived figures: funding increase, staff drop, inspectors the ILO ratio asks for."""
    now, before = _plain(values["inspectorate_funding"]), _plain(values["inspectorate_funding_prior"])
    if before >= now:  # the seed's sentence says the funding increased
        values["inspectorate_funding_prior"] = f"{max(5_000, now - 5_000 * rng.randint(1, 6)):,}"
        before = _plain(values["inspectorate_funding_prior"])
    values["funding_increase"] = f"{now - before:,}"
    staff, staff_before = _plain(values["bpmc_staff"]), _plain(values["bpmc_staff_prior"])
    if staff_before <= staff:  # "N fewer than in <prior year>"
        values["bpmc_staff_prior"] = str(staff + rng.randint(1, 9))
        staff_before = _plain(values["bpmc_staff_prior"])
    values["bpmc_fewer"] = str(staff_before - staff)
    if _plain(values["reunited_children"]) >= _plain(values["armed_group_cases"]):
        values["reunited_children"] = str(_plain(values["armed_group_cases"]) // 2)
    values["inspectors_needed"] = str(round(float(values["workforce_millions"]) * 1_000_000 / 40_000))
