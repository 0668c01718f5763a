"""GET /documents, one document (with the indexing state of an upload), its text, and its
bibliography entry by entry. Uploads and deletions are in qa/api/upload.py."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from qa.api.deps import AssistantDep, SettingsDep, require_api_key
from qa.api.schemas import (
    ERROR_RESPONSES, DocumentDetail, DocumentState, DocumentsResponse, DocumentText, ReferenceOut, ReferencesResponse,
)
from qa.api.upload_indexer import CorpusIndexer
from qa.errors import DocumentNotFound
from qa.index.jobs import JobStatus
from qa.ingest.corpus import DOCUMENT_SUFFIXES
from qa.models import ReferenceEntry

router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(require_api_key)],
                   responses=ERROR_RESPONSES)

DocPath = Annotated[str, Path(description="A document id from GET /documents")]


def _reference(doc_id: str, entry: ReferenceEntry) -> dict[str, Any]:
    return {"doc": doc_id, "number": entry.number, "text": entry.text, "url": entry.url, "printed": entry.printed}


def indexer_of(request: Request) -> CorpusIndexer:
    return request.app.state.indexer


def status_url(doc_id: str) -> str:
    return f"/documents/{doc_id}"


def job_json(job: JobStatus) -> dict[str, Any]:
    return {**job.to_json(), "status_url": status_url(job.doc_id)}


@router.get("", response_model=DocumentsResponse,
            summary="The indexed documents, the corpus files that failed with the reasons, the uploads "
                    "being indexed, and whether uploads are allowed")
def list_documents(request: Request, assistant: AssistantDep, settings: SettingsDep) -> dict[str, Any]:
    failures = [{**f.to_json(), "file": PurePath(f.path).name} for f in assistant.failures()]
    uploads = {"allowed": settings.allow_uploads, "max_bytes": settings.max_file_bytes,
               "types": list(DOCUMENT_SUFFIXES)}
    pending = [job_json(j) for j in indexer_of(request).jobs.pending()]
    return {"documents": [asdict(s) for s in assistant.documents()], "failures": failures, "pending": pending,
            "uploads": uploads}


@router.get("/{doc_id}", response_model=DocumentDetail | DocumentState,
            summary="One document: metadata, sections, tables, and the state of its last upload "
                    "(queued, indexing, ready, failed with the reason)")
def get_document(doc_id: DocPath, request: Request, assistant: AssistantDep) -> dict[str, Any]:
    job = indexer_of(request).jobs.status(doc_id)
    try:
        document = assistant.document(doc_id)
    except DocumentNotFound:
        # an upload not in the served index yet, or one that failed: its state, not a 404
        if job is None or job.state in ("deleted", "ready"):
            raise
        return job_json(job)
    if job is not None and job.state == "deleted":  # deleted, the index without it not served yet
        job = None
    summary = next((asdict(s) for s in assistant.documents() if s.id == doc_id), None)
    if summary is None:  # loaded but not indexed: describe it from its own metadata
        meta = document.meta
        summary = {"id": meta.id, "title": meta.title, "publisher": meta.publisher, "kind": meta.kind,
                   "country": meta.country, "year": meta.year, "published": meta.published, "url": meta.url,
                   "chunks": 0, "references": len(document.bibliography), "level": meta.level,
                   "synthetic": meta.synthetic, "origin": dict(meta.origin)}
    state = job.state if job is not None and job.state != "deleted" else "ready"
    if job is not None and job.state == "failed" and job.reason:
        summary = {**summary, "reason": job.reason}
    return {
        **summary,
        "state": state,
        # the text before a report's first numbered heading (its summary) is a section without one
        "sections": [{"key": s.key, "title": s.title or "(untitled opening)"} for s in document.sections],
        "tables": [{"number": t.number, "title": t.title, "rows": len(t.rows)} for t in document.tables],
        "bibliography_warnings": list(document.bibliography.warnings),
    }


@router.get("/{doc_id}/text", response_model=DocumentText,
            summary="A document's text as indexed, with where each passage (a source's anchor) sits in it")
def get_text(doc_id: DocPath, assistant: AssistantDep) -> dict[str, Any]:
    document = assistant.document(doc_id)
    passages = [{"anchor": c.id, "start": c.start, "end": c.end,
                 "section": c.heading_path[-1] if c.heading_path else c.section}
                for c in assistant.passages(doc_id)]
    return {"doc": doc_id, "title": document.meta.title, "text": document.text, "passages": passages}


@router.get("/{doc_id}/references", response_model=ReferencesResponse, summary="A document's bibliography")
def list_references(doc_id: DocPath, assistant: AssistantDep) -> dict[str, Any]:
    document = assistant.document(doc_id)
    return {"doc": doc_id, "references": [_reference(doc_id, e) for e in document.bibliography.entries]}


@router.get("/{doc_id}/references/{number}", response_model=ReferenceOut, summary="One bibliography entry")
def get_reference(doc_id: DocPath, number: Annotated[int, Path(description="The entry's number")],
                  assistant: AssistantDep) -> dict[str, Any]:
    return _reference(doc_id, assistant.reference(doc_id, number))
