"""Optional LLM answer stage: an OpenAI-compatible server writes the answer from numbered passages.

The extractive answer is always computed first and passed in as ``fallback``; this stage only
replaces it when the server's reply can be checked. Every bracket marker the model writes
("[4]", "[68, 69]", "[68-71]") is expanded to numbers and each number is checked against the
reference numbers of the passages the model was shown: unsupported numbers are removed from the
text and reported, never resolved into citations. Any failure returns the fallback, with the
reason in ``extra["llm_error"]``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from qa.config import Settings
from qa.errors import InvalidInput, QAError
from qa.models import Answer, Citation

logger = logging.getLogger(__name__)

ABSTAIN_SENTENCE = "The indexed reports do not answer this."

# A reply wider than this ("[1-5000]") is not a citation a report could contain; refusing to
# expand it keeps a hostile or confused reply from producing thousands of numbers.
MAX_RANGE_WIDTH = 200

SYSTEM_PROMPT = f"""\
You answer questions about child-labour reports using only the numbered passages given to you.
Rules:
- Use only facts stated in the passages. Answer briefly: one to three sentences.
- Right after each claim, put the report's reference numbers that back it in square brackets, \
e.g. [4] or [68, 69]. Use only the reference numbers listed for the passage the claim comes from. \
Never cite passage numbers.
- For a passage whose document has no reference numbers, cite the document label shown for it \
in square brackets instead.
- If the passages do not answer the question, reply exactly: {ABSTAIN_SENTENCE}"""

ResolveCitation = Callable[[str, int | None], Citation]

# "[4]", "[68, 69, 70]", "[68-71]", "[4; 13–16]": digits, separators and dashes only.
_NUMBER_MARKER = re.compile(r"[ \t]*\[(\s*\d+(?:\s*[-–—]\s*\d+)?(?:\s*[,;]\s*\d+(?:\s*[-–—]\s*\d+)?)*\s*)\]")
_ANY_MARKER = re.compile(r"\[([^\[\]\n]{1,200})\]")
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """One passage shown to the model.

    ``text`` is the passage as a reader sees it (with its context, e.g. a table row's header);
    ``refs`` are the report's own reference numbers backing it; ``doc_label`` is how the
    document is cited when it has no bibliography (e.g. its title).
    """

    doc: str
    text: str
    refs: frozenset[int]
    doc_label: str


class LLMFailure(QAError):
    """Internal: the server's reply cannot be used. Never escapes :meth:`LLMWriter.write`."""

    code = "llm_failure"
    status = 502


class LLMWriter:
    """Writes answers with an OpenAI-compatible chat-completions server when one is configured.

    ``__init__`` only validates settings and raises :class:`InvalidInput` for a base URL that
    is not ``http(s)://host...`` or an empty model name; no connection is made until ``write``.
    """

    def __init__(self, settings: Settings) -> None:
        self.base_url = (settings.llm_base_url or "").strip().rstrip("/") or None
        self.model = settings.llm_model.strip()
        self.api_key = settings.llm_api_key or None
        self.timeout = settings.llm_timeout
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise InvalidInput(f"QA_LLM_BASE_URL must be an http(s) URL, got {self.base_url!r}")
            if not self.model:
                raise InvalidInput("QA_LLM_MODEL must not be empty when QA_LLM_BASE_URL is set")

    @property
    def enabled(self) -> bool:
        return self.base_url is not None

    def write(
        self,
        question: str,
        passages: list[Passage],
        fallback: Answer,
        resolve_citation: ResolveCitation,
    ) -> Answer:
        """Ask the model for an answer built from ``passages``; never raises.

        ``resolve_citation(doc, ref)`` turns a supported reference number (or ``None`` for a
        document without bibliography) into a :class:`Citation`. Returns an Answer with
        ``mode="llm"``, the fallback's sources and confidence, and any markers the passages do
        not back in ``unsupported_citations``; or ``fallback`` itself (with
        ``extra["llm_error"]``) when the writer is disabled, the call fails or the reply cannot
        be checked.
        """
        if not self.enabled:
            return fallback
        try:
            if not passages:
                raise LLMFailure("no passages to write from")
            reply = self._complete(build_messages(question, passages))
            return _check_reply(reply, passages, fallback, resolve_citation)
        except (LLMFailure, httpx.HTTPError) as exc:
            reason = _describe(exc)
            logger.warning("LLM answer unusable, returning the extractive answer: %s", reason)
            return replace(fallback, extra={**fallback.extra, "llm_error": reason})

    def _complete(self, messages: list[dict[str, str]]) -> str:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        payload = {"model": self.model, "messages": messages, "temperature": 0}
        with httpx.Client(timeout=self.timeout) as client:
            response = client.post(f"{self.base_url}/chat/completions", json=payload, headers=headers)
        if not response.is_success:
            raise LLMFailure(f"server answered HTTP {response.status_code}: {response.text[:200]!r}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:  # ValueError: bad JSON
            raise LLMFailure(f"malformed chat-completions response ({type(exc).__name__})") from exc
        if not isinstance(content, str):
            raise LLMFailure("malformed chat-completions response (content is not a string)")
        # Reasoning models served locally often prepend their scratchpad; it is not the answer.
        content = _THINK.sub("", content).strip()
        if not content:
            raise LLMFailure("empty answer from the model")
        return content


def build_messages(question: str, passages: list[Passage]) -> list[dict[str, str]]:
    """The chat messages: the rules, then each passage with what it may cite, then the question."""
    blocks = []
    for i, p in enumerate(passages, start=1):
        if p.refs:
            cite = "reference numbers you may cite: " + ", ".join(f"[{n}]" for n in sorted(p.refs))
        else:
            cite = f"no reference numbers; cite it as [{p.doc_label}]"
        blocks.append(f"Passage {i} (document {p.doc}; {cite})\n{p.text.strip()}")
    user = "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question.strip()}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def parse_marker(body: str) -> list[int] | None:
    """Numbers in a marker body ("68, 69", "68-71", "4;13–16"), in order, deduplicated.

    Returns ``None`` for a range that runs backwards or is wider than ``MAX_RANGE_WIDTH``.
    """
    numbers: list[int] = []
    for part in re.split(r"[,;]", body):
        bounds = [int(x) for x in re.split(r"[-–—]", part.strip())]
        low, high = bounds[0], bounds[-1]
        if high < low or high - low > MAX_RANGE_WIDTH:
            return None
        numbers.extend(n for n in range(low, high + 1) if n not in numbers)
    return numbers


def _is_abstention(text: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[^a-z]+", " ", s.lower()).strip()

    return norm(text).startswith(norm(ABSTAIN_SENTENCE))


def _check_reply(
    reply: str, passages: list[Passage], fallback: Answer, resolve_citation: ResolveCitation
) -> Answer:
    """Turn the model's reply into an Answer, or raise :class:`LLMFailure` if it cannot be trusted."""
    if _is_abstention(reply):
        return Answer(
            answer=ABSTAIN_SENTENCE,
            citations=(),
            sources=fallback.sources,
            abstained=True,
            confidence=fallback.confidence,
            mode="llm",
            extra=dict(fallback.extra),
        )
    checker = _MarkerCheck(passages, resolve_citation)
    text = _NUMBER_MARKER.sub(checker.check, reply)
    text = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE).strip()
    checker.cite_document_labels(text)

    if not checker.citations and any(p.refs for p in passages):
        unsupported = f" (unsupported: {', '.join(checker.unsupported)})" if checker.unsupported else ""
        raise LLMFailure("the answer cites no reference number the passages support" + unsupported)
    if not checker.citations:
        # No passage carries a reference number and the model wrote no document label: the
        # answer can only come from these documents, so cite them as documents.
        for p in passages:
            checker.resolve(p.doc, None)
    if not text:
        raise LLMFailure("the answer is empty once unsupported citations are removed")
    if not checker.citations:
        raise LLMFailure("none of the passages' documents could be cited")
    return Answer(
        answer=text,
        citations=tuple(checker.citations.values()),
        sources=fallback.sources,
        abstained=False,
        confidence=fallback.confidence,
        unsupported_citations=tuple(dict.fromkeys(checker.unsupported)),
        mode="llm",
        extra=dict(fallback.extra),
    )


class _MarkerCheck:
    """Checks the markers of one reply against the passages, collecting citations as it goes."""

    def __init__(self, passages: list[Passage], resolve_citation: ResolveCitation) -> None:
        self.passages = passages
        self.resolve_citation = resolve_citation
        self.citations: dict[tuple[str, int | None], Citation] = {}
        self.unsupported: list[str] = []
        # Numbers are per report; with passages from two reports one number may name two entries.
        self.docs_by_ref: dict[int, list[str]] = {}
        for p in passages:
            for n in p.refs:
                docs = self.docs_by_ref.setdefault(n, [])
                if p.doc not in docs:
                    docs.append(p.doc)

    def resolve(self, doc: str, ref: int | None) -> bool:
        if (doc, ref) in self.citations:
            return True
        try:
            self.citations[(doc, ref)] = self.resolve_citation(doc, ref)
        except QAError:
            return False  # a passage ref its bibliography cannot back is no citation either
        return True

    def check(self, match: re.Match[str]) -> str:
        """``re.sub`` callback: the marker rewritten with supported numbers only, or ``""``."""
        numbers = parse_marker(match.group(1))
        if numbers is None:
            self.unsupported.append(f"[{match.group(1).strip()}]")
            return ""
        kept = []
        for n in numbers:
            # a list, not a generator: resolve for every document citing n
            if any([self.resolve(doc, n) for doc in self.docs_by_ref.get(n, ())]):
                kept.append(n)
            else:
                self.unsupported.append(f"[{n}]")
        # Canonical "[68, 69, 70]" so every consumer reads one marker format.
        return " [" + ", ".join(map(str, kept)) + "]" if kept else ""

    def cite_document_labels(self, text: str) -> None:
        """Cite, as documents, the bibliography-less passages whose label the model wrote as a marker."""
        labels = {_norm_label(p.doc_label): p.doc for p in self.passages if not p.refs and p.doc_label.strip()}
        for match in _ANY_MARKER.finditer(text):
            doc = labels.get(_norm_label(match.group(1)))
            if doc is not None:
                self.resolve(doc, None)


def _norm_label(label: str) -> str:
    return " ".join(label.lower().split()).strip(" .\"'")


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.HTTPError):
        return f"request failed: {type(exc).__name__}: {exc}"
    return str(exc)
