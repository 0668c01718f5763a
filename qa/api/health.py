"""GET /healthz (open even when an API key is set): 503 while loading, 200 with the index summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from qa.api.deps import AssistantHolder, get_holder
from qa.api.errors import error_body
from qa.errors import QAError

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Readiness: 503 while loading, 200 with the index summary "
            "(status 'degraded' with a count when corpus files failed)")
# HEAD (a monitor's or balancer's check) answers the same, and is left out of the schema: one
# route for both methods gives OpenAPI two operations with the same id
@router.head("/healthz", include_in_schema=False)
def healthz(holder: Annotated[AssistantHolder, Depends(get_holder)]) -> JSONResponse:
    state = holder.state
    if state == "loading":
        return JSONResponse({"status": "loading"}, status_code=503, headers={"Retry-After": "5"})
    if state == "failed":
        exc = holder.failure()
        return JSONResponse({"status": "error", **error_body(exc.code, exc.message)}, status_code=503)
    try:
        index = holder.assistant.index_status()
    except QAError as exc:
        return JSONResponse({"status": "error", **error_body(exc.code, exc.message)}, status_code=503)
    # the index's folder on disk and the corpus file names are the server's business, not an
    # anonymous caller's: failures are counted here and listed by GET /documents
    index = {k: v for k, v in index.items() if k not in ("path", "failures")}
    failed = len(holder.assistant.failures())
    if failed:
        return JSONResponse({"status": "degraded", "failed_documents": failed, "index": index})
    return JSONResponse({"status": "ok", "index": index})
