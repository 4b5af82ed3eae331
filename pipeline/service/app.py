"""The FastAPI app: analysis endpoints over the same ``analyze_many`` as the CLI, the code table's view of
a code, health and readiness, FHIR in, and the review page.

The pipeline is built once per worker (``analyzer.py``: a thread with one worker, processes with more),
so CPU work never runs on the event loop: health checks answer while notes are analysed, and a request
past its time limit gets 504.
Responses are written from the result's own JSON (no second validation pass). Nothing of a note reaches a
log line or an error body: validation errors are reported by field location and type only."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import urllib.parse
from contextlib import asynccontextmanager
from typing import Any, Optional

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..models import AnalysisResult, NoteInput
from ..version import __version__
from .analyzer import Analyzer, RequestTimeout
from .fhir import FhirInputError, note_from_document_reference
from .guards import Guard
from .settings import ServiceSettings

logger = logging.getLogger("billfacts.service")


class BatchRequest(BaseModel):
    """Notes to analyse in one request. Each item is a NoteInput; an item that is not one gets its own
    error result (code ``invalid_input``) and never fails the others."""

    notes: list[Any] = Field(description="NoteInput objects (text, note_id, date_of_service, payer, billed_codes)")


class BatchResponse(BaseModel):
    results: list[AnalysisResult]


class ErrorBody(BaseModel):
    error: dict


class ServiceError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: Optional[list] = None, headers=None):
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers


def _error_response(status: int, code: str, message: str, fields: Optional[list] = None, headers=None) -> JSONResponse:
    body: dict = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return JSONResponse(body, status_code=status, headers=headers)


def _json_response(body: str) -> Response:
    return Response(body, media_type="application/json")


ERROR_RESPONSES = {401: {"model": ErrorBody, "description": "a bearer token is configured and was not sent"},
                   413: {"model": ErrorBody, "description": "the body is over the size limit"},
                   422: {"model": ErrorBody, "description": "the body does not fit the schema"},
                   504: {"model": ErrorBody, "description": "the request ran past the time limit"}}


def create_app(settings: Optional[ServiceSettings] = None) -> Any:
    """The service's ASGI app (the FastAPI app inside the body-limit and last-error guard)."""
    settings = (settings or ServiceSettings()).check()
    analyzer: dict[str, Analyzer] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        running()
        try:
            yield
        finally:
            analyzer.pop("it").close()

    app = FastAPI(title="billfacts", version=__version__, lifespan=lifespan,
                  description="Billing facts, CPT code lines and documentation gaps from behavioral-health notes. "
                              "Notes never leave this service and are never logged.")

    def running() -> Analyzer:
        if "it" not in analyzer:  # also when called without its lifespan (a bare ASGI call)
            analyzer["it"] = Analyzer(settings.workers, settings.time_limit)
        return analyzer["it"]

    async def analysed(records: list) -> list[str]:
        try:
            return await running().analyse(records)
        except RequestTimeout:
            raise ServiceError(504, "timeout", f"the request took longer than the {settings.time_limit:g} s "
                                               "limit") from None

    async def authorised(request: Request) -> None:
        if not settings.token:
            return
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
            raise ServiceError(401, "unauthorized", "a valid bearer token is required",
                               headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError):
        return _error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # Field locations and error types only: pydantic's own messages and inputs can quote the note.
        fields = [{"loc": [str(part) for part in error.get("loc", ())], "type": error.get("type")}
                  for error in exc.errors()[:20]]
        return _error_response(422, "invalid_request", "the request does not fit the schema", fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = {400: "the request body could not be read", 404: "no such endpoint",
                   405: "method not allowed"}.get(exc.status_code, "request refused")
        return _error_response(exc.status_code, f"http_{exc.status_code}", message)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses={503: {"model": ErrorBody}})
    async def readyz():
        """Ready once this worker's pipeline is built."""
        if running().ready:
            return {"ready": True}
        return _error_response(503, "not_ready", "the pipeline is still loading")

    @app.post("/v1/analyze", response_model=AnalysisResult, responses=ERROR_RESPONSES, tags=["analysis"],
              dependencies=[Depends(authorised)])
    async def analyze_one(note: NoteInput):
        """Analyse one note: facts with evidence, code lines, documentation gaps. A note that cannot be
        analysed gets ``status: "error"`` with a stable code (HTTP 200, as in a batch)."""
        return _json_response((await analysed([note]))[0])

    @app.post("/v1/analyze/batch", response_model=BatchResponse, responses=ERROR_RESPONSES, tags=["analysis"],
              dependencies=[Depends(authorised)])
    async def analyze_batch(batch: BatchRequest):
        """Analyse up to the configured number of notes; results in order, one per note."""
        if len(batch.notes) > settings.max_batch:
            raise ServiceError(422, "batch_too_large", f"a batch holds at most {settings.max_batch} notes")
        return _json_response('{"results":[' + ",".join(await analysed(batch.notes)) + "]}")

    @app.post("/v1/fhir/analyze", response_model=AnalysisResult, responses=ERROR_RESPONSES, tags=["analysis"],
              dependencies=[Depends(authorised)])
    async def analyze_fhir(resource: dict[str, Any],
                           payer: str = Query("commercial", max_length=40, description="payer profile")):
        """Analyse the note a FHIR R4 DocumentReference carries (a text/plain attachment, inline base64
        data); the date of service comes from context.period.start, else date."""
        try:
            record = note_from_document_reference(resource)
        except FhirInputError as exc:
            raise ServiceError(422, exc.code, exc.message, exc.fields) from None
        record["payer"] = payer
        return _json_response((await analysed([record]))[0])

    @app.get("/v1/codes/{code}", tags=["codes"], responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
             dependencies=[Depends(authorised)])
    async def code_view(code: str = Path(max_length=12, pattern=r"^[A-Za-z0-9/]+$"),
                        date: Optional[dt.date] = Query(None, description="YYYY-MM-DD (default: today)")):
        """What the code table knows about a code on a date: validity, band, add-on rules, crosswalks."""
        from ..coding.lookup import describe

        info = describe(code, date or dt.date.today())
        return JSONResponse(info, status_code=200 if info["known"] else 404)

    @app.get("/review", response_class=HTMLResponse, tags=["review"], dependencies=[Depends(authorised)])
    async def review_form():
        """A form for one pasted note; posting it shows the review view."""
        return HTMLResponse(_review_page(None, None))

    @app.post("/review", response_class=HTMLResponse, tags=["review"], dependencies=[Depends(authorised)],
              openapi_extra={"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                  "type": "object", "properties": {"text": {"type": "string"}, "date_of_service": {"type": "string"},
                                                   "payer": {"type": "string"}}}}}}})
    async def review_post(request: Request):
        """The review view of the pasted note (the same view as the batch report's)."""
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
        record = {"text": (form.get("text") or [""])[0], "note_id": "pasted note",
                  "payer": (form.get("payer") or ["commercial"])[0][:40]}
        if (form.get("date_of_service") or [""])[0].strip():
            record["date_of_service"] = form["date_of_service"][0].strip()[:10]
        result = AnalysisResult.model_validate_json((await analysed([record]))[0])
        return HTMLResponse(_review_page(result, record["text"]))

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    guarded = Guard(app, settings.max_body_bytes)
    guarded.fastapi = app  # the FastAPI app itself (its OpenAPI document, its routes)
    return guarded


def _form() -> str:
    from ..coding import payer_profiles

    options = "".join(f"<option>{name}</option>" for name in payer_profiles())
    return ('<form method="post" action="review" style="margin:0 0 18px;font:14px system-ui,sans-serif">'
            '<p><textarea name="text" rows="12" cols="100" placeholder="Paste a note" required></textarea></p>'
            '<p>Date of service <input name="date_of_service" placeholder="YYYY-MM-DD" size="12"> '
            f'Payer <select name="payer">{options}</select> <button type="submit">Review</button></p></form>')


def _review_page(result: Optional[AnalysisResult], text: Optional[str]) -> str:
    from ..report import review_page
    from ..report.review import STYLE

    if result is None:
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>billfacts review</title>"
                f"<style>body{{margin:20px}}{STYLE}</style></head><body><h1 style=\"font:600 20px system-ui\">"
                f"billfacts review</h1>{_form()}</body></html>")
    return review_page(result, text, body_before=_form())


def app_from_env() -> Any:
    """uvicorn's factory in each worker process: the settings the parent wrote to the environment."""
    return create_app(ServiceSettings.from_env())
