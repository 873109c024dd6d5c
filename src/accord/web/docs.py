"""The API's documentation page, served locally from the OpenAPI document (FastAPI's default
pages load Swagger UI from a CDN; this one is a plain page of accord's own).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each path and method with its summary, description, parameters, body and responses."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or ["other"])[0],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": p.get("schema", {}).get("type", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _ref_name(body.get("schema", {})) if body else None,
                    "responses": sorted(op.get("responses", {})),
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                }
            )
    return out


def schema_fields(schema: dict[str, Any]) -> list[dict[str, str]]:
    """A body schema's fields: name, type, default, description."""
    rows = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        kinds = [_ref_name(x) or x.get("type", "") for x in prop.get("anyOf", [])] or [
            _ref_name(prop) or prop.get("type", "")
        ]
        if prop.get("enum"):
            kinds = [" | ".join(map(json.dumps, prop["enum"]))]
        if "const" in prop:
            kinds = [json.dumps(prop["const"])]
        rows.append(
            {
                "name": name + ("" if name not in required else " *"),
                "type": " or ".join(k for k in kinds if k),
                "default": json.dumps(prop["default"]) if "default" in prop else "",
                "description": prop.get("description", ""),
            }
        )
    return rows


@router.get("/api/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    from accord.web.pages import render

    spec = request.app.openapi()
    bodies = {
        name: schema_fields(s)
        for name, s in spec.get("components", {}).get("schemas", {}).items()
        if name.endswith("Request") or name in ("ScenarioText", "ScenarioEdit", "Column")
    }
    return render(
        request,
        "docs.html.j2",
        title="API",
        nav="api",
        spec=spec,
        operations=operations(spec),
        bodies=bodies,
    )


__all__ = ["operations", "router", "schema_fields"]
