"""read_corpus: every file ends up either a document or a failure with a reason, never an exception."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from badfiles import SEEDS
from qa.config import Settings
from qa.ingest.corpus import read_corpus

_FILES = st.lists(st.tuples(st.sampled_from(["a", "b", "usdol-2019-mali"]), st.sampled_from([".txt", ".md", ".pdf"]),
                            st.one_of(st.binary(max_size=3000), st.text(max_size=500).map(str.encode))),
                  max_size=4, unique_by=lambda f: f[0] + f[1])


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=_FILES)
def test_every_file_is_a_document_or_a_failure(tmp_path: Path, files: list[tuple[str, str, bytes]]) -> None:
    corpus = tmp_path / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    shutil.copy(SEEDS / "ilo-2021-aejt-kayes-sikasso.txt", corpus)
    for stem, suffix, data in files:
        (corpus / f"{stem}{suffix}").write_bytes(data)
    read = read_corpus(Settings(corpus_dir=corpus))
    seen = {Path(f.path).name for f in read.failures} | {Path(d.meta.path).name for d in read.documents}
    assert seen == {p.name for p in corpus.iterdir()}
    assert "ilo-2021-aejt-kayes-sikasso" in {d.id for d in read.documents}
    assert len({d.id for d in read.documents}) == len(read.documents)  # one document per id
    for f in read.failures:
        assert f.reason.startswith(f"{Path(f.path).name}: ") and "\n" not in f.reason
