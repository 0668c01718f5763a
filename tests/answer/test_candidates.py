"""Candidates: every unit of the hits, plus sentence windows of neighbouring sentences."""

from __future__ import annotations

import numpy as np

from qa.answer.candidates import UnitCatalog, window
from qa.config import Settings
from qa.index.embed import FakeEmbedder
from qa.models import Hit
from tests.answer.parts import chunk, sentence_units

PARA = chunk("I/p1", [("The ACCEL Africa project supports six countries including Mali.", set()),
                      ("In Mali the project focuses on gold panning and cotton.", {3}),
                      ("It began in 2019.", {4})])


def catalog(tmp_path) -> UnitCatalog:  # type: ignore[no-untyped-def]
    settings = Settings(index_dir=tmp_path, corpus_dir=tmp_path)
    return UnitCatalog(settings, FakeEmbedder(), {})


def test_a_window_joins_two_neighbouring_sentences_and_keeps_each_ones_references() -> None:
    a, b, _ = sentence_units(PARA)
    both = window(a, b)
    assert both.sentences == (a.sentences[0], b.sentences[0])
    assert both.text == f"{a.text} {b.text}" and both.kind == "sentence"


def test_candidates_hold_units_then_windows_of_neighbours_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cat = catalog(tmp_path)
    cands = cat.candidates([Hit(PARA, 1.0)], about_sources=False)
    singles = [c for c in cands if not c.parts]
    windows = [c for c in cands if c.parts]
    assert len(singles) == 3 and len(windows) == 2  # (1,2) and (2,3), never (1,3)
    assert [w.unit.key for w in windows] == [f"{PARA.id}#0+", f"{PARA.id}#1+"]


def test_a_windows_vector_is_the_normalised_mean_of_its_sentences(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cat = catalog(tmp_path)
    cat.load([PARA])
    a, b, _ = cat.units(PARA)
    vec = cat.vector(window(a, b))
    mean = cat.vector(a) + cat.vector(b)
    assert np.allclose(vec, mean / np.linalg.norm(mean), atol=1e-6)


def test_rows_of_one_table_share_their_best_rank(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_answer import Corpus

    corpus = Corpus(Settings(corpus_dir=tmp_path, index_dir=tmp_path, embedder="fake", llm_base_url=None))
    rows = [c for c in corpus.chunks if c.kind == "table-row"]
    para = next(c for c in corpus.chunks if c.kind == "paragraph")
    hits = [Hit(rows[0], 1.0), Hit(para, 0.9), Hit(rows[2], 0.8)]
    ranks = {c.unit.chunk.id: c.rank for c in corpus.answerer.catalog.candidates(hits, False)}
    assert ranks[rows[0].id] == ranks[rows[2].id] == 0 and ranks[para.id] == 1


def test_the_rows_of_a_pooled_table_that_retrieval_left_out_join_at_its_rank(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_answer import Corpus

    corpus = Corpus(Settings(corpus_dir=tmp_path, index_dir=tmp_path, embedder="fake", llm_base_url=None))
    catalog = corpus.answerer.catalog
    rows = [c for c in corpus.chunks if c.kind == "table-row"]
    table = rows[0].id.rsplit("/", 1)[0]
    siblings = [c for c in rows if c.id.rsplit("/", 1)[0] == table]
    labelled = [c for c in siblings if any(u.own_label for u in catalog.units(c))]
    assert len(labelled) > 2
    para = next(c for c in corpus.chunks if c.kind == "paragraph")
    cands = catalog.candidates([Hit(para, 1.0), Hit(labelled[1], 0.9)], False)
    ranks = {c.unit.chunk.id: c.rank for c in cands}
    # every labelled row of the table competes, at the rank of the one retrieved
    assert {c.id for c in labelled} <= set(ranks) and {ranks[c.id] for c in labelled} == {1}
    # a table none of whose rows was retrieved adds nothing
    alone = {c.unit.chunk.id for c in catalog.candidates([Hit(para, 1.0)], False)}
    assert alone == {para.id}


def _two_documents() -> list:  # type: ignore[type-arg]
    return [PARA,
            chunk("I/p2", [("Children herd cattle and goats in the northern desert.", {5}),
                           ("Schools are far away.", {6})]),
            chunk("R/ref5", [("Herding goats: a field report on cattle and goats.", {5})], kind="reference"),
            chunk("O/p1", [("Children herd cattle and goats in the northern desert of Niger.", set())], doc="other")]


def test_nearest_ranks_the_units_of_the_given_documents_by_cosine(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cat = catalog(tmp_path)
    chunks = _two_documents()
    cat.load(chunks)
    qvec = FakeEmbedder().encode(["Which animals do children herd in the northern desert?"])[0]
    found = cat.nearest(qvec, {"rep"}, 2, about_sources=False)
    # the other document's sentence is as close but out of the documents asked for; the
    # bibliography entry only answers a question about sources
    assert len(found) == 2 and found[0].key == "rep#I/p2#0"
    cosines = [float(qvec @ cat.vector(u)) for u in found]
    assert cosines == sorted(cosines, reverse=True)
    every = cat.nearest(qvec, {"rep"}, 10, about_sources=False)
    assert len(every) == 5 and all(u.chunk.doc_id == "rep" and u.kind != "reference" for u in every)
    assert "rep#R/ref5#0" in [u.key for u in cat.nearest(qvec, {"rep"}, 10, about_sources=True)]
    assert cat.nearest(qvec, {"rep", "other"}, 1, about_sources=False)[0].chunk.doc_id == "other"
    assert cat.nearest(qvec, {"nowhere"}, 3, about_sources=False) == []


def test_nearest_units_join_the_candidates_below_the_last_hit_and_marked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cat = catalog(tmp_path)
    chunks = _two_documents()
    cat.load(chunks)
    qvec = FakeEmbedder().encode(["Which animals do children herd in the northern desert?"])[0]
    hits = [Hit(PARA, 1.0)]
    plain = cat.candidates(hits, about_sources=False)
    assert not any(c.nearest for c in plain)
    joined = cat.candidates(hits, about_sources=False, qvec=qvec, nearest=2)
    added = [c for c in joined if c.nearest]
    assert added and added[0].unit.key == "rep#I/p2#0" and all(c.rank == len(hits) for c in added)
    # a unit a hit already holds is not added twice
    again = cat.candidates([Hit(chunks[1], 1.0)], about_sources=False, qvec=qvec, nearest=2)
    keys = [c.unit.key for c in again if not c.parts]
    assert len(keys) == len(set(keys)) and not any(c.nearest and c.unit.chunk.id == chunks[1].id for c in again)


def test_a_list_question_gets_every_row_of_a_quoted_table_at_its_rank(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [chunk(f"t2/r{i}", [(f"Sector {i}: work {i}.", {i + 1})], kind="table-row") for i in range(3)]
    other = chunk("t3/r0", [("Convention: ratified.", set())], kind="table-row")
    cat = catalog(tmp_path)
    cat.load(rows + [other, PARA])
    cands = cat.candidates([Hit(PARA, 1.0), Hit(rows[1], 0.9)], about_sources=False)
    added = cat.table_rows(cands)
    # the quoted table's other rows, at the rank of its row among the hits; no other table's
    assert sorted(c.unit.chunk.id for c in added) == [rows[0].id, rows[2].id]
    assert {c.rank for c in added} == {1}


def test_units_holding_a_word_few_units_hold_join_the_candidates_marked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qa.answer.lexical import term_set

    common = [chunk(f"III/p{i}", [(f"Child labor inspections were carried out in region {i}.", {i})]) for i in range(4)]
    hotline = chunk("III/p9", [("Courts may refer cases to a tribunal.", {7}),
                               ("The center's child protection hotline was operational.", {8})])
    elsewhere = chunk("III/p1", [("A hotline takes calls.", set())], doc="other")
    cat = catalog(tmp_path)
    cat.load(common + [hotline, elsewhere])
    words = term_set("Does the country have a hotline for child labor?")
    added = [c for c in cat.candidates([Hit(common[0], 1.0)], False, words=words, rare=2) if c.nearest]
    # the one sentence of the hits' document saying "hotline", below the last hit; not the other
    # document's, nor the many units saying "child" and "labor"
    assert [c.unit.key for c in added] == [f"{hotline.id}#1"] and added[0].rank == 1
    # a word more units hold than the bound adds nothing; 0 is off
    assert not [c for c in cat.candidates([Hit(common[0], 1.0)], False, words=term_set("inspections"), rare=2)
                if c.nearest]
    assert not [c for c in cat.candidates([Hit(common[0], 1.0)], False, words=words, rare=0) if c.nearest]


def test_a_table_notes_legend_of_a_mark_is_never_a_candidate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qa.answer.candidates import is_legend

    legend = chunk("t10/n0", [("† Program is funded by the Government of Mali.", set())])
    source = chunk("t1/n1", [("Source for all other data: ILO analysis of the 2012 survey.", {10})])
    body = chunk("III/p4", [("Programs marked † are funded by the government.", set())])
    # PDFs often glue a table's legend to the paragraph after the table
    glued = chunk("VI/p29", [("* Program was launched during the reporting period.", set()),
                             ("During the reporting period, the agency opened the first shelter in Zinder.", {5})])
    cat = catalog(tmp_path)
    cat.load([legend, source, body, glued, PARA])
    hits = [Hit(legend, 1.0), Hit(source, 0.9), Hit(body, 0.8), Hit(glued, 0.7)]
    keys = {c.unit.key for c in cat.candidates(hits, False) if not c.parts}
    # the legends go; a note saying where data come from, and body text, stay
    assert keys == {f"{source.id}#0", f"{body.id}#0", f"{glued.id}#1"}
    assert is_legend(cat.units(legend)[0]) and is_legend(cat.units(glued)[0]) and not is_legend(cat.units(body)[0])
    qvec = FakeEmbedder().encode(["Which programs does the Government of Mali fund?"])[0]
    assert all(not is_legend(u) for u in cat.nearest(qvec, {"rep"}, 10, about_sources=False))
