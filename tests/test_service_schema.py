"""A schemathesis run against the service's OpenAPI document (issue 10): requests generated from the
schema, valid and not, to every operation; no answer may be a server error."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from billfacts.service.app import create_app
from billfacts.service.settings import ServiceSettings
from ledger import tried

APP = create_app(ServiceSettings(max_body_bytes=100_000, max_batch=5, time_limit=30))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
SCHEMA.config.generation.update(modes=list(schemathesis.GenerationMode))  # bodies that fit and that do not


@SCHEMA.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_request_the_schema_allows_or_breaks_gets_a_server_error(case):
    tried("schemathesis requests")
    case.call_and_validate(checks=[not_a_server_error])
