"""GET /documents and a document's bibliography, entry by entry."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from qa.api.deps import AssistantDep, require_api_key
from qa.api.schemas import ERROR_RESPONSES, DocumentDetail, DocumentsResponse, ReferenceOut, ReferencesResponse
from qa.models import ReferenceEntry

router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(require_api_key)],
                   responses=ERROR_RESPONSES)

DocPath = Annotated[str, Path(description="A document id from GET /documents")]


def _reference(doc_id: str, entry: ReferenceEntry) -> dict[str, Any]:
    return {"doc": doc_id, "number": entry.number, "text": entry.text, "url": entry.url, "printed": entry.printed}


@router.get("", response_model=DocumentsResponse,
            summary="The indexed documents, and the corpus files that failed with the reasons")
def list_documents(assistant: AssistantDep) -> dict[str, Any]:
    failures = [{**f.to_json(), "file": PurePath(f.path).name} for f in assistant.failures()]
    return {"documents": [asdict(s) for s in assistant.documents()], "failures": failures}


@router.get("/{doc_id}", response_model=DocumentDetail, summary="One document: metadata, sections, tables")
def get_document(doc_id: DocPath, assistant: AssistantDep) -> dict[str, Any]:
    document = assistant.document(doc_id)  # raises DocumentNotFound -> 404
    summary = next((asdict(s) for s in assistant.documents() if s.id == doc_id), None)
    if summary is None:  # loaded but not indexed: describe it from its own metadata
        meta = document.meta
        summary = {"id": meta.id, "title": meta.title, "publisher": meta.publisher, "kind": meta.kind,
                   "country": meta.country, "year": meta.year, "published": meta.published, "url": meta.url,
                   "chunks": 0, "references": len(document.bibliography), "level": meta.level,
                   "synthetic": meta.synthetic, "origin": dict(meta.origin)}
    return {
        **summary,
        "sections": [{"key": s.key, "title": s.title} for s in document.sections],
        "tables": [{"number": t.number, "title": t.title, "rows": len(t.rows)} for t in document.tables],
        "bibliography_warnings": list(document.bibliography.warnings),
    }


@router.get("/{doc_id}/references", response_model=ReferencesResponse, summary="A document's bibliography")
def list_references(doc_id: DocPath, assistant: AssistantDep) -> dict[str, Any]:
    document = assistant.document(doc_id)
    return {"doc": doc_id, "references": [_reference(doc_id, e) for e in document.bibliography.entries]}


@router.get("/{doc_id}/references/{number}", response_model=ReferenceOut, summary="One bibliography entry")
def get_reference(doc_id: DocPath, number: Annotated[int, Path(description="The entry's number")],
                  assistant: AssistantDep) -> dict[str, Any]:
    return _reference(doc_id, assistant.reference(doc_id, number))
