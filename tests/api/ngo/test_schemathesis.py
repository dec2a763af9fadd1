"""schemathesis against the OpenAPI document of a real server: generated requests (valid and
invalid) find no server error and no response that breaks the document."""

from __future__ import annotations

import itertools

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from schemathesis import GenerationMode, checks

from tests.api.ngo.conftest import bearer, make_token

CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


async def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, database, known):
    # Enough tokens that the per-token rate limit never decides the outcome.
    tokens = itertools.cycle([await make_token(database) for _ in range(12)])
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/api/v1/incidents", "/api/v1/incidents/{incident_id}", "/api/v1/changes",
                                              "/api/v1/places", "/api/v1/taxonomy"}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.settings(max_examples=40, deadline=None, derandomize=True, database=None,
                                 suppress_health_check=list(HealthCheck))
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                case.call_and_validate(base_url=live_server, headers=bearer(next(tokens)), checks=CHECKS,
                                       timeout=30)

            run()
