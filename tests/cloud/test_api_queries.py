"""Query parameters are typed in the route table: checked before any handler, documented."""

from __future__ import annotations

import msgspec
import pytest
from aiohttp.test_utils import make_mocked_request

from cloud.api import queries
from cloud.api.errors import ApiError, decode_query
from cloud.api.routes import API, openapi_document
from cloud.terms import OrderStatus

WITH_QUERY = [r for r in API if r.query is not None]
TEXT = {"q", "device_id", "customer_id", "incident_id", "actor", "account", "address"}


def _decode(kind: type[msgspec.Struct], query: str) -> object:
    return decode_query(make_mocked_request("GET", f"/x?{query}"), kind)


def test_every_listing_route_declares_its_parameters_and_the_document_lists_them() -> None:
    assert {r.handler.__name__ for r in WITH_QUERY} >= {
        "list_devices",
        "list_orders",
        "list_alerts",
        "list_deliveries",
        "audit_log",
        "clear_lockouts",
    }
    doc = openapi_document()
    for route in WITH_QUERY:
        documented = {
            p["name"]
            for p in doc["paths"][route.path][route.method.lower()]["parameters"]
            if p["in"] == "query"
        }
        assert documented == {f.encode_name for f in msgspec.structs.fields(route.query)}
    assert not {r.query.__name__ for r in WITH_QUERY} & set(doc["components"]["schemas"])


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (route.query, f.encode_name)
        for route in WITH_QUERY
        for f in msgspec.structs.fields(route.query)
        if f.encode_name not in TEXT
    ],
)
def test_a_value_of_the_wrong_kind_is_a_400_that_names_the_parameter(
    kind: type[msgspec.Struct], field: str
) -> None:
    with pytest.raises(ApiError) as refused:
        _decode(kind, f"{field}=nope%20at%20all")
    assert refused.value.status == 400
    assert field in str(refused.value)


def test_values_are_converted_as_typed() -> None:
    assert _decode(queries.Orders, "status=held&limit=20&device_id=") == queries.Orders(
        status=OrderStatus.HELD, limit=20, device_id=""
    )
    assert _decode(queries.Lockouts, "id=3&id=4&account=ann") == queries.Lockouts(
        id=[3, 4], account="ann"
    )
    assert _decode(queries.Calendar, "all_events=true") == queries.Calendar(all_events=True)
    with pytest.raises(ApiError, match="limit"):
        _decode(queries.Devices, "limit=10001")
