"""POST /documents (upload a report) and DELETE /documents/{id}: the corpus over HTTP.

Both answer 202 at once with a status URL (GET /documents/{id}); the index is brought up to date
in the background by one worker (qa/api/upload_indexer.py) while the server keeps answering from
the index it has. Refusals, each a clear 4xx: uploads disabled (403, ``QA_ALLOW_UPLOADS``), a file
name that is a path or an invalid id (422), a type other than .txt/.md/.pdf or content that is not
what its name says (415), an empty file (422), one over ``QA_MAX_FILE_BYTES`` (413), content the
corpus checks refuse (422 with their reason), an existing id without ``replace=true`` (409), the
same bytes as another document's file (409).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from qa.api.deps import SettingsDep, require_api_key
from qa.api.documents import DocPath, indexer_of, job_json, status_url
from qa.api.errors import UploadRejected
from qa.api.schemas import ERROR_RESPONSES, DocumentState, UploadAccepted
from qa.api.upload_indexer import CorpusIndexer
from qa.api.upload_store import check_id, split_filename, storage_error

router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(require_api_key)],
                   responses={**ERROR_RESPONSES, 403: ERROR_RESPONSES[401] | {"description": "Uploads are disabled"},
                              409: ERROR_RESPONSES[404] | {"description": "The id exists (send replace=true)"},
                              415: ERROR_RESPONSES[404] | {"description": "Not a .txt, .md or .pdf file"}})

KINDS = ("country-report", "article")
MAX_TITLE_CHARS = 500
Text = Annotated[str | None, Form()]


def uploads_allowed(settings: SettingsDep) -> None:
    if not settings.allow_uploads:
        raise UploadRejected(403, "uploads_disabled",
                             "this server does not accept uploads or deletions (set QA_ALLOW_UPLOADS=true to allow them)")


async def one_value_each(request: Request) -> None:
    """422 for a form field sent more than once: of two files only the last was stored (the first
    lost while the answer said 202), of two years or ids the last silently won."""
    form = await request.form()  # already parsed for the route's fields: this reads FastAPI's copy
    repeated = sorted({key for key in form if len(form.getlist(key)) > 1})
    if repeated:
        key = repeated[0]
        what = "upload one report per request" if key == "file" else "send one value"
        raise UploadRejected(422, "invalid_input", f"{key}: sent {len(form.getlist(key))} times; {what}")


def catalog_values(country: str | None, year: str | None, title: str | None, kind: str | None) -> dict[str, Any]:
    """The metadata form fields as catalog values (blank fields are absent); 422 for a bad one."""
    from qa.text.countries import canonical, lookup

    values: dict[str, Any] = {}
    if country and country.strip():
        if lookup(country.strip()) is None:
            raise UploadRejected(422, "invalid_input", f"country: unknown country {country.strip()!r} "
                                                       f"(use a country name or ISO code)")
        values["country"] = canonical(country.strip())
    if year and year.strip():
        if not year.strip().isdigit() or not 1900 <= int(year) <= 2100:
            raise UploadRejected(422, "invalid_input", f"year: {year.strip()!r} is not a year between 1900 and 2100")
        values["year"] = int(year)
    if title and title.strip():
        if len(title) > MAX_TITLE_CHARS:
            raise UploadRejected(422, "invalid_input", f"title: longer than {MAX_TITLE_CHARS} characters")
        values["title"] = " ".join(title.split())
    if kind and kind.strip():
        if kind.strip() not in KINDS:
            raise UploadRejected(422, "invalid_input", f"kind: must be one of {', '.join(KINDS)}")
        values["kind"] = kind.strip()
    return values


def _truthy(value: str | bool | None) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    if value.strip().lower() in ("", "0", "false", "no", "off"):
        return False
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    raise UploadRejected(422, "invalid_input", f"replace: {value!r} is not true or false")


@router.post("", status_code=202, response_model=UploadAccepted,
             dependencies=[Depends(uploads_allowed), Depends(one_value_each)],
             summary="Upload a report (.txt, .md or .pdf); it is indexed in the background")
def upload(
    request: Request,
    file: Annotated[UploadFile | None, File(description="The report: .txt, .md or .pdf, judged by content")] = None,
    id: Text = None,  # noqa: A002 - the form field's name
    replace: Text = None,
    country: Text = None,
    year: Text = None,
    title: Text = None,
    kind: Text = None,
    replace_query: Annotated[bool | None, Query(alias="replace", description="Replace an existing document")] = None,
) -> JSONResponse:
    if file is None:
        raise UploadRejected(422, "invalid_input", "file: send the report as the multipart form field 'file'")
    stem, ext = split_filename(file.filename)
    doc_id = check_id(id.strip(), "id") if id and id.strip() else check_id(stem, "the file name's stem", hint=True)
    replacing = _truthy(replace) or bool(replace_query)
    metadata = catalog_values(country, year, title, kind)
    indexer = indexer_of(request)
    _refuse_existing(indexer, doc_id, replacing)  # early: no need to read a file that cannot go in
    staged = indexer.store.stage(file.file, doc_id, ext)
    try:
        indexer.store.check(staged)
        with indexer.store.lock:
            existed = _refuse_existing(indexer, doc_id, replacing)
            _refuse_duplicate(indexer, staged)
            try:
                target = indexer.store.commit(staged, metadata)
            except OSError as exc:
                raise storage_error(exc) from exc
            job = indexer.jobs.submit(doc_id, "add")
    finally:
        indexer.store.discard(staged)
    body = {**job_json(job), "file": target.name, "replaced": existed}
    return JSONResponse(body, status_code=202, headers={"Location": status_url(doc_id)})


def _refuse_existing(indexer: CorpusIndexer, doc_id: str, replacing: bool) -> bool:
    """Whether ``doc_id`` has a corpus file; 409 when it has and ``replacing`` is false."""
    files = indexer.store.files_of(doc_id)
    if files and not replacing:
        raise UploadRejected(409, "document_exists",
                             f"a document with id {doc_id!r} exists ({files[0].name}); send replace=true to "
                             f"replace it, or choose another id")
    return bool(files)


def _refuse_duplicate(indexer: CorpusIndexer, staged: Path) -> None:
    """409 when another document's file has exactly these bytes: indexed twice, the report would
    answer under two ids and every citation of it would name the copy's id instead of its country."""
    twin = indexer.store.same_content(staged)
    if twin is not None:
        raise UploadRejected(409, "duplicate_file",
                             f"this file is already in the corpus as document {twin.stem!r} ({twin.name}); to "
                             f"replace that document send id={twin.stem} and replace=true")


@router.delete("/{doc_id}", status_code=202, response_model=DocumentState, dependencies=[Depends(uploads_allowed)],
               summary="Remove a document from the corpus and the index (in the background)")
def delete(doc_id: DocPath, request: Request) -> JSONResponse:
    check_id(doc_id)
    indexer = indexer_of(request)
    with indexer.store.lock:
        try:
            removed = indexer.store.remove(doc_id)
        except OSError as exc:
            raise storage_error(exc) from exc
        if not removed and not _indexed(request, doc_id):
            raise UploadRejected(404, "document_not_found", f"unknown document id {doc_id!r}")
        job = indexer.jobs.submit(doc_id, "delete")
    return JSONResponse(job_json(job), status_code=202, headers={"Location": status_url(doc_id)})


def _indexed(request: Request, doc_id: str) -> bool:
    assistant = request.app.state.holder.assistant
    try:
        return any(s.id == doc_id for s in assistant.documents())
    except Exception:  # noqa: BLE001 - not loaded: only the files count
        return False

