"""The JSON Schema that describes ``accord forecast --json`` output (shipped with the package)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def forecast_schema() -> dict:
    text = (resources.files("accord") / "data" / "schema" / "forecast.schema.json").read_text(
        "utf-8"
    )
    return json.loads(text)


def validate_forecast_json(data: dict) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` does not follow the schema."""
    import jsonschema

    jsonschema.validate(data, forecast_schema())
