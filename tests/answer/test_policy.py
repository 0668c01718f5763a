"""Policy: abstain below the threshold, the year asked, one close extra unit, several for a list."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.policy import Policy
from qa.answer.scorers import Scored, continued_years
from qa.answer.scoring import Scoring
from tests.answer.parts import chunk, info, sentence_units

PARA = chunk("I/p1", [("Children harvest cotton.", {1}), ("Children herd cattle.", {2}),
                      ("Children mine gold.", {3}), ("The ministry met twice.", {4})])
A, B, C, D = sentence_units(PARA)


def test_it_declines_below_the_threshold_with_the_reason() -> None:
    decision = Policy(Scoring(abstain_below=0.5), {}).decide(info("Who herds cattle?"), [Scored(B, 0.4)])
    assert decision.chosen == [] and decision.reason == "best passage score 0.40"


def test_a_close_second_unit_joins_a_far_one_does_not() -> None:
    policy = Policy(Scoring(abstain_below=0.1, extra_unit_ratio=0.9), {})
    close = policy.decide(info("What do children do with cattle?"), [Scored(B, 1.0), Scored(A, 0.95), Scored(C, 0.5)])
    assert [s.unit for s in close.chosen] == [B, A]
    far = policy.decide(info("What do children do with cattle?"), [Scored(B, 1.0), Scored(A, 0.5)])
    assert [s.unit for s in far.chosen] == [B]


def test_a_question_asking_for_one_figure_date_or_name_quotes_one_unit() -> None:
    policy = Policy(Scoring(abstain_below=0.1, extra_unit_ratio=0.9), {})
    scored = [Scored(B, 1.0), Scored(A, 0.99)]
    for question in ("Who herds cattle?", "Which ministry herds cattle?", "How many children herd cattle?",
                     "When did children herd cattle?"):
        assert [s.unit for s in policy.decide(info(question), scored).chosen] == [B], question
    # a list or a comparison still takes the close second unit
    for question in ("Which animals do children herd?", "How did the number of children herding cattle change?"):
        assert [s.unit for s in policy.decide(info(question), scored).chosen] == [B, A], question


def test_a_list_question_quotes_every_unit_within_the_list_ratio() -> None:
    policy = Policy(replace(Scoring(), list_ratio=0.8), {})
    scored = [Scored(A, 1.0), Scored(C, 0.9), Scored(B, 0.85), Scored(D, 0.5)]
    assert [s.unit for s in policy.listing(scored, scored[0])] == [A, C, B]
    one = Policy(replace(Scoring(), list_ratio=1.0), {})
    assert [s.unit for s in one.listing(scored, scored[0])] == [A]


class _Cited(Policy):
    """A policy over a report with a bibliography (the units' document is not built here)."""

    def bibliography_size(self, unit):  # type: ignore[no-untyped-def]
        return 10


SUMMARY = chunk("intro/p0", [("Children work in cotton, cattle and gold.", set())])
ROWS = [chunk(f"t2/r{i}", [(text, {10 + i})], kind="table-row")
        for i, text in enumerate(["Agriculture: harvesting cotton.", "Agriculture: herding cattle.", "Industry: gold."])]


def test_a_list_in_a_report_with_sources_quotes_only_units_citing_their_own() -> None:
    (summary,) = sentence_units(SUMMARY)
    policy = _Cited(replace(Scoring(), list_ratio=0.8, abstain_below=0.3), {})
    scored = [Scored(summary, 1.0), Scored(A, 0.9), Scored(C, 0.85)]
    # the uncited summary leads no list: the best cited unit does, and the ratio is read from it
    assert [s.unit for s in policy.listing(scored, scored[0])] == [A, C]
    # no cited unit reaches abstain_below: the best unit alone, as a one-unit answer would be
    weak = _Cited(replace(Scoring(), list_ratio=0.8, abstain_below=0.95), {})
    assert [s.unit for s in weak.listing(scored, scored[0])] == [summary]
    # a report without a bibliography has no uncited units to leave out
    plain = Policy(replace(Scoring(), list_ratio=0.8), {})
    assert [s.unit for s in plain.listing(scored, scored[0])] == [summary, A, C]


def test_the_other_rows_of_a_quoted_table_join_within_the_table_ratio() -> None:
    rows = [u for c in ROWS for u in sentence_units(c)]
    policy = _Cited(replace(Scoring(), list_ratio=0.95, list_table_ratio=0.7, abstain_below=0.3), {})
    scored = [Scored(rows[0], 1.0), Scored(B, 0.8), Scored(rows[1], 0.75), Scored(rows[2], 0.6)]
    assert [s.unit for s in policy.listing(scored, scored[0])] == [rows[0], rows[1]]


def test_a_year_question_needs_a_unit_speaking_of_that_year() -> None:
    year = chunk("I/p2", [("In 2018, children harvested cotton.", {5})])
    (unit,) = sentence_units(year)
    policy = Policy(Scoring(abstain_below=0.1, year_fallback_ratio=0.8), {})
    q = info("What did children harvest in 2018?")
    assert policy.decide(q, [Scored(A, 1.0), Scored(unit, 0.9)]).chosen[0].unit == unit
    assert policy.decide(q, [Scored(A, 1.0), Scored(unit, 0.5)]).reason == "no retrieved passage speaks of 2018"


def test_a_year_named_only_as_the_edition_needs_no_unit_naming_it() -> None:
    year = chunk("I/p2", [("In 2018, children harvested cotton.", {5})])
    (unit,) = sentence_units(year)
    policy = Policy(Scoring(abstain_below=0.1, year_fallback_ratio=0.5), {})
    q = info("In the 2018 report, what do children harvest?")
    assert policy.decide(q, [Scored(A, 1.0), Scored(unit, 0.9)]).chosen[0].unit == unit
    edition = replace(q, edition_years=frozenset({2018}))
    assert policy.decide(edition, [Scored(A, 1.0), Scored(unit, 0.9)]).chosen[0].unit == A


def test_a_sentence_continuing_one_that_names_the_year_speaks_of_that_year() -> None:
    para = chunk("I/p3", [("In 2018, it planned a campaign.", {3}),
                          ("In September 2019, the campaign ran a street operation.", {4}),
                          ("Its staff is unknown.", {4}), ("As a result, 1,578 children were given support.", {4})])
    planned, opening, _, result = sentence_units(para)
    policy = Policy(Scoring(abstain_below=0.1, year_fallback_ratio=0.5), {})
    q = info("How many children got help in the 2019 operation?")
    assert policy.decide(q, [Scored(result, 1.0), Scored(opening, 0.6)]).chosen[0].unit == result
    assert continued_years(planned) == set() and continued_years(result) == {2019}


def test_a_table_ratio_stricter_than_the_list_ratio_holds_no_row_back() -> None:
    rows = [u for c in ROWS for u in sentence_units(c)]
    policy = _Cited(replace(Scoring(), list_ratio=0.9, list_table_ratio=1.0, abstain_below=0.3), {})
    scored = [Scored(rows[0], 1.0), Scored(rows[1], 0.95), Scored(rows[2], 0.6)]
    assert [s.unit for s in policy.listing(scored, scored[0])] == [rows[0], rows[1]]


def test_a_yes_no_question_is_answered_by_the_close_unit_that_can_say_yes_or_no() -> None:
    from qa.answer.units import Unit

    policy = Policy(Scoring(abstain_below=0.1, extra_unit_ratio=0.9), {})
    row_chunk = chunk("t2/r4", [("Assembling fishing canoes", {9})], kind="table-row")
    row = Unit(f"{row_chunk.id}#0", row_chunk, "row", row_chunk.sentences,
               "Table 2 | Activity: Assembling fishing canoes", "", frozenset(), "Activity: Assembling fishing canoes")
    # a sentence that can say neither yes nor no scores best, the table row close behind
    chosen = policy.decide(info("Are children involved in making boats?"), [Scored(B, 1.0), Scored(row, 0.95)]).chosen
    assert [s.unit for s in chosen] == [row]
    # both can: both are quoted as before; another kind of question keeps its order
    denied = Unit(D.key, D.chunk, "sentence", D.sentences, "The ministry did not meet.")
    both = policy.decide(info("Did the ministry meet?"), [Scored(denied, 1.0), Scored(row, 0.95)]).chosen
    assert [s.unit for s in both] == [denied, row]
    other = policy.decide(info("What do children make?"), [Scored(B, 1.0), Scored(row, 0.95)]).chosen
    assert [s.unit for s in other] == [B, row]


def test_a_later_edition_answers_with_its_own_row_of_the_same_label() -> None:
    from qa.answer.units import Unit
    from qa.models import Document, DocumentMeta

    def report(year: int) -> Document:
        meta = DocumentMeta(id=f"mali-{year}", path="", sha256="", kind="country-report", country="Mali", year=year)
        return Document(meta, "", (), (), {}, ())

    def row(year: int, label: str) -> Unit:
        c = chunk(f"t4/r{len(label)}", [(f"{label}: Yes", {5})], kind="table-row", doc=f"mali-{year}")
        return Unit(f"{c.id}#0", c, "row", c.sentences, f"{label}: Yes", label, own_text=f"{label}: Yes")

    def sentence(year: int, text: str) -> Unit:
        return sentence_units(chunk("I/p9", [(text, {6})], doc=f"mali-{year}"))[0]

    policy = Policy(Scoring(), {d.id: d for d in (report(2018), report(2020))})
    old_row = Scored(row(2018, "Prohibition of Child Trafficking"), 0.76)
    new_sentence = Scored(sentence(2020, "The law does not prohibit trafficking of drugs by children."), 0.74)
    new_row = Scored(row(2020, "Prohibition of Child Trafficking"), 0.70)
    first = policy.latest_edition_first([old_row, new_sentence, new_row])[0]
    # the 2020 report's version of the best unit, not its best-scoring unit of another kind
    assert first is new_row
    assert policy.latest_edition_first([old_row, new_sentence])[0] is new_sentence  # no such row: its best


def test_a_count_asked_without_a_year_is_the_reports_row_when_the_best_unit_counts_something_else() -> None:
    from qa.answer.units import Unit
    from qa.models import Document, DocumentMeta

    meta = DocumentMeta(id="rep", path="", sha256="", kind="country-report", country="Niger", year=2019)
    policy = Policy(Scoring(), {"rep": Document(meta, "", (), (), {}, ())})
    c = chunk("t6/r1", [("Number of Labor Inspectors 47 (19) 51 (5)", {5, 19})], kind="table-row")
    own = "Number of Labor Inspectors | 2018: 47 | 2019: 51"
    row = Unit(f"{c.id}#0", c, "row", c.sentences, own, "Number of Labor Inspectors", frozenset({2018, 2019}),
               own, "Number of Labor Inspectors")
    workforce, ratio, counted = sentence_units(chunk("III/p3", [
        ("The number of labor inspectors is likely insufficient for a workforce of 6.5 million workers.", {63}),
        ("At the ILO's ratio of 1 inspector for every 40,000 workers, Niger would employ 163 labor inspectors.", {64}),
        ("In 2019, the ministry employed 51 labor inspectors.", {5})]))
    scored = [Scored(workforce, 0.91), Scored(ratio, 0.90), Scored(row, 0.83)]
    question = info("How many labor inspectors does Niger have?")
    assert policy.counted_row_first(question, scored)[0].unit is row
    # the best unit counting them already (not in a would-be clause), or a year asked: left alone
    assert policy.counted_row_first(question, [Scored(counted, 0.91)] + scored)[0].unit is counted
    assert policy.counted_row_first(question, [Scored(ratio, 0.91), Scored(row, 0.83)])[0].unit is row
    assert policy.counted_row_first(info("What is the labor inspectorate's budget?"), scored)[0].unit is workforce


def test_a_count_question_is_answered_by_a_close_unit_that_states_the_count() -> None:
    steps, used, other = sentence_units(chunk("III/p4", [
        ("Mali took steps to prevent children from being recruited by the armed forces.", {12}),
        ("In 2020, the armed forces employed 23 children in courier roles.", {35}),
        ("The ministry held 4 meetings.", {36})]))
    question = info("How many children did the military use in 2020?")
    on = Policy(Scoring(counting_ratio=0.9), {})
    assert on.counting_first(question, [Scored(steps, 1.0), Scored(used, 0.95)])[0].unit is used
    # too far below the best, counting something else, or the rule off: the best stays
    assert on.counting_first(question, [Scored(steps, 1.0), Scored(used, 0.85)])[0].unit is steps
    assert on.counting_first(question, [Scored(steps, 1.0), Scored(other, 0.99)])[0].unit is steps
    off = Policy(Scoring(counting_ratio=0.0), {})
    assert off.counting_first(question, [Scored(steps, 1.0), Scored(used, 0.95)])[0].unit is steps


def test_other_countries_give_one_group_each_from_their_latest_edition() -> None:
    from qa.models import Document, DocumentMeta

    def report(doc_id: str, country: str, year: int) -> Document:
        meta = DocumentMeta(id=doc_id, path="", sha256="", kind="country-report", country=country, year=year)
        return Document(meta, "", (), (), {}, ())

    docs = [report("niger-2019", "Niger", 2019), report("mali-2018", "Mali", 2018), report("mali-2019", "Mali", 2019),
            report("senegal-2019", "Senegal", 2019)]
    policy = Policy(Scoring(abstain_below=0.1, group_ratio=0.9, edition_ratio=0.9), {d.id: d for d in docs})

    def unit(doc: str) -> Scored:
        return sentence_units(chunk("III/p1", [("The minimum age for work is 15.", {4})], doc=doc))[0]

    niger, mali18, mali19, senegal = (unit(d.id) for d in docs)
    scored = [Scored(niger, 1.0), Scored(mali18, 0.97), Scored(mali19, 0.95), Scored(senegal, 0.93)]
    no_year = policy.other_countries(info("What is the minimum age for work?"), scored, scored[0])
    # Mali once, from its 2019 edition (close to its 2018 one), then Senegal; Niger answered already
    assert [[s.unit for s in group] for group in no_year] == [[mali19], [senegal]]
    # a year asked: the best unit of each country, whatever its edition
    in_2018 = policy.other_countries(info("What was the minimum age for work in 2018?"), scored, scored[0])
    assert [[s.unit for s in group] for group in in_2018] == [[mali18], [senegal]]


def test_a_close_unit_repeating_the_best_ones_sentence_elsewhere_in_the_report_is_not_quoted_twice() -> None:
    said = "Children engage in the worst forms of child labor, including farming and begging."
    (summary,) = sentence_units(chunk("intro/p0", [(f"However, {said[0].lower()}{said[1:]}", set())]))
    (finding,) = sentence_units(chunk("I/p2", [(said.replace(".", " (1-4)."), {1, 2, 3, 4})]))
    # its citation group "(1-4)" is no part of what it says
    policy = _Cited(Scoring(abstain_below=0.1, extra_unit_ratio=0.9, list_ratio=0.8), {})
    scored = [Scored(finding, 1.0), Scored(summary, 0.99), Scored(A, 0.95)]
    question = "What do children do in the worst forms of child labor?"
    assert [s.unit for s in policy.decide(info(question), scored).chosen] == [finding, A]
    assert [s.unit for s in policy.listing(scored, scored[0])] == [finding, A]


def test_another_countrys_line_for_a_count_is_its_reports_row_counting_it() -> None:
    # "How many labor inspectors are there?" over six reports: Madagascar's line was "The labor
    # inspectorate conducted 1,845 inspections ...", not its "Number of Labor Inspectors" row
    from qa.answer.units import Unit
    from qa.models import Document, DocumentMeta

    def report(doc_id: str, country: str) -> Document:
        meta = DocumentMeta(id=doc_id, path="", sha256="", kind="country-report", country=country, year=2019)
        return Document(meta, "", (), (), {}, ())

    policy = Policy(Scoring(abstain_below=0.1, group_ratio=0.9), {d.id: d for d in (report("kenya", "Kenya"),
                                                                                    report("mada", "Madagascar"))})
    [kenya] = sentence_units(chunk("III/p1", [("In 2019, Kenya employed 64 labor inspectors.", {27})], doc="kenya"))
    [inspections] = sentence_units(chunk("III/p2", [("The inspectorate conducted 1,845 inspections in 2019.", {84})],
                                         doc="mada"))
    c = chunk("t6/r1", [("Number of Labor Inspectors 259 (99) 134 (84)", {84, 99})], kind="table-row", doc="mada")
    own = "Number of Labor Inspectors | 2018: 259 | 2019: 134"
    row = Unit(f"{c.id}#0", c, "row", c.sentences, own, "Number of Labor Inspectors", frozenset({2018, 2019}),
               own, "Number of Labor Inspectors")
    scored = [Scored(kenya, 1.0), Scored(inspections, 0.95), Scored(row, 0.8)]
    groups = policy.other_countries(info("How many labor inspectors are there?"), scored, scored[0])
    assert [[s.unit for s in group] for group in groups] == [[row]]


def test_a_sum_asked_is_declined_when_the_answering_unit_states_none() -> None:
    described, = sentence_units(chunk("III/p5", [("The workshop trained members of the association.", {1})]))
    priced, = sentence_units(chunk("III/p6", [("The workshop cost $12,000.", {2})]))
    question = info("What did the workshop cost?")
    on = Policy(Scoring(abstain_below=0.1, untyped_declined=1.0), {})
    assert on.decide(question, [Scored(described, 0.9)]).reason == "no retrieved passage states the amount asked"
    assert [s.unit for s in on.decide(question, [Scored(priced, 0.9)]).chosen] == [priced]
    off = Policy(Scoring(abstain_below=0.1, untyped_declined=0.0), {})
    assert [s.unit for s in off.decide(question, [Scored(described, 0.9)]).chosen] == [described]


def test_a_count_asked_is_declined_when_the_answering_unit_states_no_figure() -> None:
    pointer, = sentence_units(chunk("III/p7", [("Disaggregate hotline data to show how many calls regard children.", {1})]))
    counted, = sentence_units(chunk("III/p8", [("The hotline received 240 calls about children.", {2})]))
    on = Policy(Scoring(abstain_below=0.1, untyped_declined=1.0), {})
    question = info("How many children did the hotline support?")
    assert on.decide(question, [Scored(pointer, 0.9)]).reason == "no retrieved passage states the count asked"
    assert [s.unit for s in on.decide(question, [Scored(counted, 0.9)]).chosen] == [counted]
    # a figure asked some other way may be of another kind: left to the scores
    sized = info("What was the size of the budget allocation?")
    assert on.decide(sized, [Scored(pointer, 0.9)]).reason is None


def test_a_percentage_asked_is_declined_when_the_answering_unit_states_no_share() -> None:
    role, = sentence_units(chunk("III/p9", [("Gold mining plays a very important role in the economy.", {1})]))
    share, = sentence_units(chunk("III/p10", [("Gold makes up 10 percent of GDP.", {2})]))
    quarter, = sentence_units(chunk("III/p11", [("About a quarter of children lack a birth certificate.", {3})]))
    on = Policy(Scoring(abstain_below=0.1, untyped_declined=1.0), {})
    asked = info("What percentage of the GDP comes from gold mining?")
    assert on.decide(asked, [Scored(role, 0.9)]).reason == "no retrieved passage states the percentage asked"
    assert [s.unit for s in on.decide(asked, [Scored(share, 0.9)]).chosen] == [share]
    assert on.decide(info("What percentage of children lack a birth certificate?"), [Scored(quarter, 0.9)]).reason is None
    # a share or ratio asked in other words may be given otherwise ("1 inspector for every 40,000 workers")
    assert on.decide(info("What is the ratio of inspectors to workers?"), [Scored(role, 0.9)]).reason is None


def test_a_figure_for_other_ages_than_those_asked_answers_nothing() -> None:
    from qa.answer.units import Unit

    c = chunk("t1/r1", [("Attending School (%) 5 to 14 43.3", {8})], kind="table-row")
    own = "Attending School (%) | Age: 5 to 14 | Percent: 43.3"
    row = Unit(f"{c.id}#0", c, "row", c.sentences, f"Table 1 | {own}", "Attending School (%)", frozenset(), own,
               "Attending School (%)")
    policy = Policy(Scoring(abstain_below=0.1), {})
    asked = info("What percentage of children aged 15 to 17 attend secondary school?")
    assert policy.decide(asked, [Scored(row, 0.9)]).reason == "no retrieved passage states it for the ages asked"
    assert policy.decide(info("What percentage of children aged 5 to 14 attend school?"), [Scored(row, 0.9)]).reason is None


def test_a_comparison_asking_no_kind_of_figure_quotes_the_row_naming_what_it_compares() -> None:
    from qa.answer.units import Unit

    def row(anchor: str, label: str, cells: str) -> Unit:
        c = chunk(anchor, [(f"{label} {cells}", {4})], kind="table-row")
        own = f"{label} | {cells}"
        return Unit(f"{c.id}#0", c, "row", c.sentences, own, label, frozenset({2019}), own, label)

    ratio, = sentence_units(chunk("III/p9", [("The number of labor inspectors is likely insufficient.", {63})]))
    training = row("t6/r2", "Initial Training for New Labor Inspectors", "2019: Yes")
    counted = row("t6/r1", "Number of Labor Inspectors", "2019: 113")
    scored = [Scored(ratio, 1.0), Scored(training, 0.9), Scored(counted, 0.85)]
    policy = Policy(Scoring(year_fallback_ratio=0.8), {})
    compared = policy.compared_row_first(info("Compare labor inspectors in Mali and Niger"), scored)
    assert compared[0].unit is counted  # the label saying least besides what is compared
    # a count compared across years: the years are the parts' business, the row still the answer
    changed = info("How did the number of labor inspectors change between 2018 and 2019?")
    assert policy.compared_row_first(replace(changed, years=frozenset({2019})), scored)[0].unit is counted
    # and across editions named as reports: "report" names which document, no word of the row's
    editions = info("How did Mali's number of labour inspectors change from the 2018 report to the 2019 report?")
    assert policy.compared_row_first(replace(editions, years=frozenset({2019})), scored)[0].unit is counted
    # no comparison, or rows too far below the best: as scored
    assert policy.compared_row_first(info("What about labor inspectors?"), scored)[0].unit is ratio
    far = Policy(Scoring(year_fallback_ratio=0.95), {})
    assert far.compared_row_first(info("Compare labor inspectors in Mali and Niger"), scored)[0].unit is ratio


def test_a_count_asked_without_a_year_is_the_latest_editions_counting_row() -> None:
    from qa.answer.units import Unit
    from qa.models import Document, DocumentMeta

    def meta(doc: str, year: int) -> Document:
        return Document(DocumentMeta(id=doc, path="", sha256="", kind="country-report", country="Mali", year=year),
                        "", (), (), {}, ())

    old, = sentence_units(chunk("III/p2", [("In 2018, the Directorate employed 70 inspectors.", {33})], doc="mali-2018"))
    c = chunk("t6/r1", [("Number of Labor Inspectors 113 (4) 113 (7)", {4, 7})], kind="table-row", doc="mali-2020")
    own = "Number of Labor Inspectors | 2019: 113 | 2020: 113"
    row = Unit(f"{c.id}#0", c, "row", c.sentences, own, "Number of Labor Inspectors", frozenset({2019, 2020}), own,
               "Number of Labor Inspectors")
    documents = {"mali-2018": meta("mali-2018", 2018), "mali-2020": meta("mali-2020", 2020)}
    question = info("How many labor inspectors does Mali have?")
    scored = [Scored(old, 0.94), Scored(row, 0.80)]
    on = Policy(Scoring(latest_count=1.0, year_fallback_ratio=0.6), documents)
    assert on.counted_row_first(question, scored)[0].unit is row
    # off, the older edition's count stays: it counts what is asked
    off = Policy(Scoring(latest_count=0.0, year_fallback_ratio=0.6), documents)
    assert off.counted_row_first(question, scored)[0].unit is old


def test_a_count_of_what_is_needed_is_a_sentence_of_what_would_be_not_the_row_of_what_is() -> None:
    from qa.answer.units import Unit

    insufficient, ratio = sentence_units(chunk("III/p3", [
        ("The number of labor inspectors is likely insufficient for a workforce of 6.5 million workers.", {63}),
        ("At the ILO's ratio, Niger would employ about 163 labor inspectors.", {64})]))
    c = chunk("t6/r1", [("Number of Labor Inspectors 47 (19) 51 (5)", {5, 19})], kind="table-row")
    own = "Number of Labor Inspectors | 2018: 47 | 2019: 51"
    row = Unit(f"{c.id}#0", c, "row", c.sentences, own, "Number of Labor Inspectors", frozenset({2018, 2019}),
               own, "Number of Labor Inspectors")
    policy = Policy(Scoring(counting_ratio=0.9, year_fallback_ratio=0.5), {})
    needed = info("How many labor inspectors does Niger need?")
    scored = [Scored(insufficient, 1.0), Scored(ratio, 0.95), Scored(row, 0.9)]
    assert policy.counting_first(needed, scored)[0].unit is ratio
    assert policy.counted_row_first(needed, [Scored(ratio, 1.0), Scored(row, 0.9)])[0].unit is ratio


def test_a_table_row_without_a_figure_is_the_reports_record_not_declined() -> None:
    from qa.answer.units import Unit

    c = chunk("t7/r3", [("Number of Prosecutions Initiated Unknown (19) Unknown (5)", {5, 19})], kind="table-row")
    own = "Number of Prosecutions Initiated | 2018: Unknown | 2019: Unknown"
    row = Unit(f"{c.id}#0", c, "row", c.sentences, own, "Number of Prosecutions Initiated", frozenset({2018, 2019}),
               own, "Number of Prosecutions Initiated")
    on = Policy(Scoring(abstain_below=0.1, untyped_declined=1.0), {})
    decision = on.decide(info("How many prosecutions were initiated?"), [Scored(row, 0.9)])
    assert decision.reason is None and [s.unit for s in decision.chosen] == [row]
