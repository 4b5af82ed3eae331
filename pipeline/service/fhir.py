"""FHIR in: a note handed over as an R4 ``DocumentReference`` (parsed with ``fhir.resources``; its R4B
models, which R4's DocumentReference fields read into unchanged).

The note is the first ``text/plain`` attachment carried inline as base64 ``data``; the date of service is
``context.period.start``, else the resource's ``date``. Every refusal says which part is wrong and never
quotes the resource's content."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from ..cli import decode_note


class FhirInputError(ValueError):
    """A resource billfacts cannot read a note from: ``code`` is stable, the message says which part."""

    def __init__(self, code: str, message: str, fields: Optional[list] = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or []


def _model():
    from fhir.resources.R4B.documentreference import DocumentReference

    return DocumentReference


def note_from_document_reference(resource: Any) -> dict:
    """The note record (text, note_id, date_of_service) a DocumentReference carries."""
    if not isinstance(resource, dict):
        raise FhirInputError("fhir_invalid_resource", "the body is not a FHIR resource (a JSON object)")
    kind = resource.get("resourceType")
    if kind != "DocumentReference":
        raise FhirInputError("fhir_wrong_resource_type", "resourceType must be DocumentReference")
    try:
        document = _model().model_validate(resource)
    except Exception as exc:  # noqa: BLE001 - pydantic's ValidationError and whatever a malformed value raises
        fields = []
        errors = getattr(exc, "errors", None)
        if callable(errors):
            try:
                fields = [{"loc": [str(part) for part in error.get("loc", ())], "type": error.get("type")}
                          for error in errors()[:20]]
            except Exception:  # noqa: BLE001
                fields = []
        raise FhirInputError("fhir_invalid_resource", "not a valid FHIR R4 DocumentReference", fields) from None
    attachments = [content.attachment for content in (document.content or []) if content.attachment is not None]
    if not attachments:
        raise FhirInputError("fhir_no_attachment", "the DocumentReference has no content attachment")
    plain = [a for a in attachments if _media_type(a.contentType) == "text/plain"]
    if not plain:
        raise FhirInputError("fhir_unsupported_content_type",
                             "no attachment is text/plain (the content types given: "
                             + ", ".join(sorted({_media_type(a.contentType) or "none" for a in attachments}))[:200] + ")")
    inline = [a for a in plain if a.data is not None]
    if not inline:
        if any(a.url for a in plain):
            raise FhirInputError("fhir_attachment_by_url", "the text/plain attachment is given by URL; billfacts "
                                                           "fetches nothing: send the text inline as base64 data")
        raise FhirInputError("fhir_no_data", "the text/plain attachment has no data")
    attachment = inline[0]
    data = attachment.data if isinstance(attachment.data, bytes) else str(attachment.data).encode()
    try:
        text = _decode(data, _charset(attachment.contentType))
    except (UnicodeDecodeError, LookupError):
        raise FhirInputError("fhir_undecodable_text", "the attachment's data is not text in its stated charset "
                                                      "(UTF-8 unless the contentType says otherwise)") from None
    return {"text": text, "note_id": document.id, "date_of_service": _date_of_service(document)}


def _media_type(content_type: Optional[str]) -> str:
    return (content_type or "").split(";")[0].strip().lower()[:60]


def _charset(content_type: Optional[str]) -> Optional[str]:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def _decode(data: bytes, charset: Optional[str]) -> str:
    if charset is None or charset.lower().replace("_", "-") in ("utf-8", "utf8", "utf-16", "utf16"):
        return decode_note(data)
    return data.decode(charset)


def _date_of_service(document) -> Optional[dt.date]:
    context = document.context
    period = context.period if context is not None else None
    moment = (period.start if period is not None else None) or document.date
    if isinstance(moment, dt.datetime):
        return moment.date()
    if isinstance(moment, dt.date):
        return moment
    return None
