"""The HTTP service (issue 10): through httpx against the app, and against a real uvicorn process on
127.0.0.1 (started here, stopped here)."""

import base64
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from billfacts.service.app import create_app
from billfacts.service.settings import ServiceSettings, SettingsError

MARKER = "QUOKKAMARKER"
NOTE = "Session 2:05 PM - 2:50 PM via Zoom, patient at home, consent obtained. CBT for worry. Dx: F41.1"


def wait_ready(client, timeout=60.0):
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        response = client.get("/readyz")
        if response.status_code == 200:
            return response
        time.sleep(0.05)
    raise AssertionError("never ready")


@pytest.fixture(scope="module")
def client():
    app = create_app(ServiceSettings(max_body_bytes=300_000, max_batch=5, time_limit=30))
    with TestClient(app) as test_client:
        wait_ready(test_client)
        yield test_client


def document_reference(text=NOTE, **attachment):
    attachment = attachment or {"contentType": "text/plain; charset=utf-8",
                                "data": base64.b64encode(text.encode()).decode()}
    return {"resourceType": "DocumentReference", "id": "doc-7", "status": "current",
            "date": "2026-03-09T10:00:00Z", "content": [{"attachment": attachment}],
            "context": {"period": {"start": "2026-03-02T14:05:00-05:00"}}}


def test_readiness_and_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"ready": True}


def test_one_note(client):
    response = client.post("/v1/analyze", json={"text": NOTE, "note_id": "n1", "date_of_service": "2026-03-02"})
    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "ok" and result["note_id"] == "n1"
    assert [(line["code"], line["modifiers"]) for line in result["coding"]["lines"]] == [("90834", ["95"])]
    for records in result["facts"]["evidence"].values():
        for record in records:
            assert NOTE[record["start"]:record["end"]] == record["text"]


def test_a_bad_note_in_a_batch_fails_only_itself(client):
    notes = [{"text": NOTE, "note_id": "a"}, {"text": 12, "note_id": "b"}, {"note_id": "c"},
             {"text": "Individual therapy 53 minutes in office. Dx F33.1", "note_id": "d"}, "a bare string note"]
    response = client.post("/v1/analyze/batch", json={"notes": notes})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["note_id"], r["status"]) for r in results] == [("a", "ok"), ("b", "error"), ("c", "error"),
                                                              ("d", "ok"), (None, "ok")]
    assert results[1]["error"]["code"] == "invalid_input"


def test_a_batch_over_the_limit_is_refused(client):
    response = client.post("/v1/analyze/batch", json={"notes": [NOTE] * 6})
    assert response.status_code == 422 and response.json()["error"]["code"] == "batch_too_large"


def test_a_fhir_document_reference(client):
    response = client.post("/v1/fhir/analyze", json=document_reference())
    assert response.status_code == 200
    result = response.json()
    assert result["note_id"] == "doc-7" and result["coding"]["date_of_service"] == "2026-03-02"
    assert [line["code"] for line in result["coding"]["lines"]] == ["90834"]
    without_period = document_reference()
    del without_period["context"]
    assert client.post("/v1/fhir/analyze", json=without_period).json()["coding"]["date_of_service"] == "2026-03-09"


@pytest.mark.parametrize("resource,code", [
    (document_reference(contentType="text/plain", url="https://ehr.example/notes/7"), "fhir_attachment_by_url"),
    (document_reference(contentType="application/pdf", data=base64.b64encode(b"%PDF " + MARKER.encode()).decode()),
     "fhir_unsupported_content_type"),
    (document_reference(contentType="text/plain", data="QUOKKA"), "fhir_invalid_resource"),
    (document_reference(contentType="text/plain", data=base64.b64encode(b"\xc3\x28\xa0\xa1").decode()),
     "fhir_undecodable_text"),
    ({**document_reference(), "resourceType": "Patient"}, "fhir_wrong_resource_type"),
    ({**document_reference(), "content": []}, "fhir_no_attachment"),
    ({**document_reference(), "status": {"not": MARKER}}, "fhir_invalid_resource"),
], ids=["by-url", "pdf", "bad-base64", "not-text", "patient", "no-content", "bad-status"])
def test_a_fhir_resource_billfacts_cannot_read_says_which(client, resource, code):
    response = client.post("/v1/fhir/analyze", json=resource)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert MARKER not in response.text


def test_a_body_over_the_limit_is_413_with_or_without_a_length(client):
    big = json.dumps({"text": MARKER + " x" * 200_000})
    response = client.post("/v1/analyze", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and MARKER not in response.text

    def chunks():  # no Content-Length: the limit counts what arrives
        for i in range(0, len(big), 10_000):
            yield big[i:i + 10_000].encode()

    response = client.post("/v1/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"


@pytest.mark.parametrize("body", [{"text": 12345, "note_id": MARKER}, {"note_id": MARKER},
                                  {"text": MARKER, "date_of_service": MARKER}, [MARKER]],
                         ids=["text-not-a-string", "no-text", "bad-date", "not-an-object"])
def test_a_body_that_does_not_fit_the_schema_is_422_naming_fields_not_values(client, body):
    response = client.post("/v1/analyze", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["fields"]
    assert MARKER not in response.text


def test_malformed_json_is_422(client):
    response = client.post("/v1/analyze", content=b'{"text": "' + MARKER.encode() + b'", ',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and MARKER not in response.text


def test_the_code_table_view(client):
    old = client.get("/v1/codes/90837", params={"date": "2012-05-01"}).json()
    assert old["known"] and not old["valid"]
    assert client.get("/v1/codes/99354", params={"date": "2023-02-01"}).json()["valid"] is False
    assert client.get("/v1/codes/90834", params={"date": "2026-01-01"}).json()["valid"] is True
    assert client.get("/v1/codes/12345").status_code == 404
    assert client.get("/v1/codes/90834", params={"date": "yesterday"}).status_code == 422


def test_the_review_page(client):
    form = client.get("/review")
    assert form.status_code == 200 and "<textarea" in form.text
    page = client.post("/review", data={"text": NOTE + " <script>alert(1)</script>", "payer": "commercial"})
    assert page.status_code == 200
    assert "<mark" in page.text and "90834" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_the_openapi_document_comes_from_the_models(client):
    schema = client.get("/openapi.json").json()
    assert {"/v1/analyze", "/v1/analyze/batch", "/v1/fhir/analyze", "/v1/codes/{code}", "/healthz", "/readyz",
            "/review"} <= set(schema["paths"])
    assert "AnalysisResult" in schema["components"]["schemas"]


def test_a_token_is_required_when_configured():
    app = create_app(ServiceSettings(token="s3cret-token"))
    with TestClient(app) as test_client:
        assert test_client.get("/healthz").status_code == 200
        missing = test_client.post("/v1/analyze", json={"text": NOTE})
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        wrong = test_client.post("/v1/analyze", json={"text": NOTE}, headers={"Authorization": "Bearer s3cret-tokeN"})
        assert wrong.status_code == 401
        right = test_client.post("/v1/analyze", json={"text": NOTE}, headers={"Authorization": "Bearer s3cret-token"})
        assert right.status_code == 200 and right.json()["status"] == "ok"


def test_it_refuses_to_listen_beyond_loopback_without_a_token():
    with pytest.raises(SettingsError):
        ServiceSettings(host="0.0.0.0").check()
    ServiceSettings(host="0.0.0.0", token="t").check()
    ServiceSettings(host="::1").check()
    out = subprocess.run([sys.executable, "-m", "billfacts.cli", "serve", "--host", "0.0.0.0"], capture_output=True,
                         text=True, timeout=60, env={k: v for k, v in os.environ.items() if k != "BILLFACTS_TOKEN"})
    assert out.returncode == 2 and "token" in out.stderr


def test_no_cors_unless_configured():
    origin = {"Origin": "https://scribe.example"}
    with TestClient(create_app(ServiceSettings())) as plain:
        assert "access-control-allow-origin" not in plain.get("/healthz", headers=origin).headers
    with TestClient(create_app(ServiceSettings(cors_origins=("https://scribe.example",)))) as allowed:
        assert allowed.get("/healthz", headers=origin).headers["access-control-allow-origin"] == "https://scribe.example"


def test_no_note_text_in_any_log_line_or_error_body_at_debug(caplog):
    """The canary: a marker word in good and malformed requests never reaches a log record (every logger at
    DEBUG) nor an error body."""
    app = create_app(ServiceSettings(max_body_bytes=50_000))
    caplog.set_level(logging.DEBUG)
    bodies = []
    with TestClient(app) as test_client:
        wait_ready(test_client)
        note = f"{MARKER} {NOTE}"
        requests = [("/v1/analyze", {"json": {"text": note}}), ("/v1/analyze", {"json": {"text": [note]}}),
                    ("/v1/analyze", {"json": {"text": note, "payer": "no-such-payer"}}),
                    ("/v1/analyze", {"content": note.encode(), "headers": {"content-type": "application/json"}}),
                    ("/v1/analyze", {"json": {"text": note * 1000}}),
                    ("/v1/analyze/batch", {"json": {"notes": [note, {"text": note, "note_id": 3.5}, {"text": None}]}}),
                    ("/v1/fhir/analyze", {"json": document_reference(note)}),
                    ("/v1/fhir/analyze", {"json": {**document_reference(note), "id": {"x": MARKER}}}),
                    ("/review", {"data": {"text": note, "date_of_service": MARKER}})]
        for path, kwargs in requests:
            response = test_client.post(path, **kwargs)
            if response.status_code >= 400:
                bodies.append(response.text)
            else:
                payload = response.json() if "json" in response.headers.get("content-type", "") else {}
                for result in payload.get("results", [payload]):
                    bodies.append(json.dumps(result.get("error") or ""))
    assert caplog.records, "nothing was logged at DEBUG: the canary would prove nothing"
    assert not [r for r in caplog.records if MARKER in r.getMessage()]
    assert not [b for b in bodies if MARKER in b]


# ---- a real uvicorn process ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(base: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    began = time.monotonic()
    while True:
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() - began > timeout:
            raise AssertionError("the service did not become ready")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server():
    """``billfacts serve`` on 127.0.0.1 with two workers at log level debug; stopped after the module."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "billfacts.cli", "serve", "--port", str(port), "--workers", "2",
                                "--log-level", "debug", "--token", "tok-123", "--max-body-bytes", "100000"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": "Bearer tok-123"}
    try:
        wait_for_server(base, process)
        yield base, headers, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_real_server_answers_and_logs_no_note_text(server):
    base, headers, process = server
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        ok = http.post("/v1/analyze", json={"text": f"{MARKER} {NOTE}", "note_id": "r1"})
        assert ok.status_code == 200 and ok.json()["coding"]["lines"][0]["code"] == "90834"
        assert http.post("/v1/analyze/batch", json={"notes": [NOTE, {"text": 1}]}).json()["results"][1]["status"] == "error"
        assert http.post("/v1/fhir/analyze", json=document_reference(f"{MARKER} {NOTE}")).status_code == 200
        assert http.post("/v1/analyze", json={"text": MARKER * 20_000}).status_code == 413
        assert http.post("/v1/analyze", content=f'{{"text": "{MARKER}"'.encode(),
                         headers={"content-type": "application/json"}).status_code == 422
        assert httpx.post(base + "/v1/analyze", json={"text": NOTE}).status_code == 401
    process.terminate()
    output, _ = process.communicate(timeout=30)
    assert "Started server process" in output or "Uvicorn running" in output
    assert MARKER not in output


def test_a_long_note_does_not_block_the_event_loop():
    """While one worker analyses a 150 KB note, the same worker's health check answers at once."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "billfacts.cli", "serve", "--port", str(port), "--log-level",
                                "warning", "--max-body-bytes", "400000"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(base, process)
        long_note = ("Session 1:00-2:00 PM. Psychotherapy 45 minutes. Client reports anxiety. " * 2100)[:150_000]
        worker = threading.Thread(target=lambda: httpx.post(base + "/v1/analyze", json={"text": long_note}, timeout=120))
        worker.start()
        time.sleep(0.3)
        waits = []
        while worker.is_alive() and len(waits) < 20:
            sent = time.monotonic()
            assert httpx.get(base + "/healthz", timeout=5).status_code == 200
            waits.append(time.monotonic() - sent)
            time.sleep(0.05)
        worker.join()
        assert waits, "the long note finished before the health checks began"
        assert max(waits) < 0.5, waits
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_killed_analysis_process_is_replaced_and_no_request_is_lost():
    import asyncio
    import signal

    from billfacts.service.analyzer import Analyzer

    analyzer = Analyzer(workers=2, time_limit=60)
    try:
        pids = {build.result(timeout=120) for build in analyzer.builds}
        assert analyzer.ready and len(pids) >= 1
        os.kill(next(iter(pids)), signal.SIGKILL)
        time.sleep(0.5)
        answers = asyncio.run(analyzer.analyse([{"text": NOTE, "note_id": "after-kill"}]))
        result = json.loads(answers[0])
        assert result["note_id"] == "after-kill" and result["status"] == "ok"
    finally:
        analyzer.close()
