"""Line, column and paragraph geometry of :mod:`qa.ingest.pdf_layout` on hand-placed words."""

from __future__ import annotations

from qa.ingest.pdf_layout import (find_gutter, glue, group_lines, paragraph_text, paragraphs, split_columns,
                                  vocabulary)

CHAR = 5.0  # points per character at 10 pt, near enough


def _line(text: str, x: float, top: float, size: float = 10.0, font: str = "Body") -> list[dict]:
    words = []
    for token in text.split():
        words.append({"text": token, "x0": x, "x1": x + CHAR * len(token), "top": top, "bottom": top + size,
                      "size": size, "fontname": font})
        x += CHAR * (len(token) + 1)
    return words


def test_glue_rejoins_urls_and_keeps_printed_hyphens() -> None:
    assert glue("see https://example.org/a/b-", "c/d.html.") == "see https://example.org/a/b-c/d.html."
    assert glue("http://www.ilo.org/dyn/f?p=1000:13100", ":P13100_COMMENT_ID:3276821.") == (
        "http://www.ilo.org/dyn/f?p=1000:13100:P13100_COMMENT_ID:3276821.")
    # a second URL, or ordinary words after a URL, are not part of it
    assert glue("https://example.org/a", "https://example.org/b") == "https://example.org/a https://example.org/b"
    assert glue("at https://example.org/a.", "Accessed March 2020.") == "at https://example.org/a. Accessed March 2020."
    assert glue("a non-", "state group") == "a non-state group"
    assert glue("children", "work") == "children work"


def test_a_hyphen_the_layout_added_goes_when_the_document_spells_the_word_whole() -> None:
    words = vocabulary(_line("balancing prospects and problems of a non state group", 50, 100))
    assert glue("balancing pros-", "pects and problems", words) == "balancing prospects and problems"
    assert glue("a non-", "state group", words) == "a non-state group"  # "nonstate" is not its word
    assert glue("the 2017-", "2019 plan", words) == "the 2017-2019 plan"
    assert glue("Pros-", "Pects", words) == "Pros-Pects"  # a capital after the break: a compound


def test_a_hyphen_the_layout_added_inside_a_urls_word_goes_too() -> None:
    words = vocabulary(_line("combatting human trafficking and migrant smuggling between key stakeholders", 50, 100))
    assert glue("https://www.unodc.org/glo-act/human-trafficking-and-migrant-s-", "muggling.html.", words) == (
        "https://www.unodc.org/glo-act/human-trafficking-and-migrant-smuggling.html.")
    # a hyphen of the address itself stays: "keystakeholders" is no word of the document
    assert glue("https://example.org/between-key-", "stakeholders.html", words) == (
        "https://example.org/between-key-stakeholders.html")


def test_two_columns_are_read_left_then_right() -> None:
    words = []
    for k in range(6):
        top = 100 + 12 * k
        words += _line(f"left{k} text here", 50, top) + _line(f"right{k} more text", 320, top + 3 * (k % 2))
    lines = group_lines(words, 0)
    gutter = find_gutter(lines, 0, 612)
    assert gutter is not None and 140 < gutter < 320
    ordered = [ln.text.split()[0] for ln in split_columns(lines, 0, 612)]
    assert ordered == [f"left{k}" for k in range(6)] + [f"right{k}" for k in range(6)]


def test_one_column_text_has_no_gutter() -> None:
    words = []
    for k in range(8):
        words += _line("Children work in cotton fields during the harvest season every single year here", 50,
                       100 + 12 * k)
    assert find_gutter(group_lines(words, 0), 0, 612) is None


def test_paragraphs_break_at_spacing_font_and_deliberate_line_ends() -> None:
    words = (_line("I. PREVALENCE OF CHILD LABOR", 50, 80, size=12, font="Body-Bold")
             + _line("Children work in cotton fields during the harvest season in the south. (1)", 50, 100)
             + _line("Many also work in mines. (2)", 50, 112)  # ends short: the next word would fit
             + _line("Gold mining is dangerous for children of every age in the region and", 50, 124)
             + _line("beyond. (3)", 50, 136)
             + _line("A new paragraph after a wider gap in the text of this report goes on.", 50, 160))
    lines = group_lines(words, 0)
    texts = [paragraph_text(g) for g in paragraphs(lines, 12.0, 10.0)]
    assert texts == [
        "I. PREVALENCE OF CHILD LABOR",
        "Children work in cotton fields during the harvest season in the south. (1) Many also work in mines. (2)",
        "Gold mining is dangerous for children of every age in the region and beyond. (3)",
        "A new paragraph after a wider gap in the text of this report goes on.",
    ]


def test_a_sentence_ending_in_an_acronym_line_is_not_a_heading() -> None:
    # the column broke the line before the long acronym: the capitals line finishes the sentence
    words = (_line("In May, the armed forces of the country stopped working with the armed group", 50, 100)
             + _line("of this region, and the forces of the country ceased all collaboration with", 50, 112)
             + _line("LONGACRONYMGROUP. (14,29)", 50, 124)
             + _line("II. LEGAL FRAMEWORK", 50, 136))
    texts = [paragraph_text(g) for g in paragraphs(group_lines(words, 0), 12.0, 10.0)]
    assert texts == [
        "In May, the armed forces of the country stopped working with the armed group of this region, and the "
        "forces of the country ceased all collaboration with LONGACRONYMGROUP. (14,29)",
        "II. LEGAL FRAMEWORK",
    ]
