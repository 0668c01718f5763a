"""The background index worker: changes coalesce into one build, states follow the build's result,
and a build that raises fails its documents without killing the worker."""

from __future__ import annotations

import threading

from qa.errors import IndexLocked
from qa.index.jobs import BuildResult, IndexJobs
from qa.models import DocumentFailure


class Builds:
    """A build function whose result each test sets; counts calls; can be held at a gate."""

    def __init__(self) -> None:
        self.calls = 0
        self.result: BuildResult | Exception = BuildResult(frozenset())
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def __call__(self) -> BuildResult:
        self.calls += 1
        self.entered.set()
        assert self.gate.wait(10)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_changes_waiting_during_a_build_are_indexed_together_by_the_next() -> None:
    builds = Builds()
    builds.gate.clear()
    jobs = IndexJobs(builds)
    assert jobs.submit("a").state == "queued"
    assert builds.entered.wait(5)
    assert jobs.status("a").state == "indexing"  # type: ignore[union-attr]
    jobs.submit("b")
    jobs.submit("c")
    assert jobs.status("b").state == "queued"  # type: ignore[union-attr]
    builds.result = BuildResult(frozenset({"a", "b", "c"}))
    builds.gate.set()
    assert jobs.wait_idle(10)
    assert builds.calls == 2  # a, then b and c in one build
    assert [jobs.status(d).state for d in "abc"] == ["ready"] * 3  # type: ignore[union-attr]
    assert jobs.pending() == []


def test_states_follow_the_build_result() -> None:
    builds = Builds()
    builds.result = BuildResult(frozenset({"kept", "still-there"}), (
        DocumentFailure("bad", "corpus/bad.pdf", "bad.pdf: no text layer (scanned?); OCR it first"),
        DocumentFailure("kept", "corpus/kept.txt", "kept.txt: the file is empty", stale=True)))
    jobs = IndexJobs(builds)
    for doc_id, action in [("bad", "add"), ("kept", "add"), ("gone", "add"), ("old", "delete"),
                           ("still-there", "delete")]:
        jobs.submit(doc_id, action)  # type: ignore[arg-type]
    assert jobs.wait_idle(10)
    states = {d: (jobs.status(d).state, jobs.status(d).reason) for d in  # type: ignore[union-attr]
              ("bad", "kept", "gone", "old", "still-there")}
    assert states["bad"] == ("failed", "bad.pdf: no text layer (scanned?); OCR it first")
    assert states["kept"][0] == "failed" and "earlier keeps answering" in str(states["kept"][1])
    assert states["gone"] == ("failed", "gone is no longer in the corpus")
    assert states["old"] == ("deleted", None)
    assert states["still-there"] == ("failed", "still-there is still indexed")


def test_a_build_that_raises_fails_its_documents_and_the_worker_goes_on() -> None:
    builds = Builds()
    builds.result = IndexLocked("another build holds the lock")
    jobs = IndexJobs(builds)
    jobs.submit("a")
    assert jobs.wait_idle(10)
    assert (jobs.status("a").state, jobs.status("a").reason) == ("failed", "another build holds the lock")  # type: ignore[union-attr]
    builds.result = RuntimeError("disk on fire")
    jobs.submit("b")
    assert jobs.wait_idle(10)
    assert "RuntimeError: disk on fire" in str(jobs.status("b").reason)  # type: ignore[union-attr]
    builds.result = BuildResult(frozenset({"a"}))
    jobs.submit("a")
    assert jobs.wait_idle(10) and jobs.status("a").state == "ready"  # type: ignore[union-attr]


def test_history_is_bounded() -> None:
    builds = Builds()
    builds.result = BuildResult(frozenset(str(i) for i in range(10)))
    jobs = IndexJobs(builds, history=3)
    for i in range(10):
        jobs.submit(str(i))
        assert jobs.wait_idle(10)
    assert jobs.status("0") is None and jobs.status("9").state == "ready"  # type: ignore[union-attr]
