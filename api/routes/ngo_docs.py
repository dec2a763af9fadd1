"""A reference page for the NGO API, rendered on the server from the OpenAPI document: plain HTML
and a little inline CSS, no script and nothing fetched from elsewhere."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from api.routes.ngo_errors import accept_language
from harmwatch.i18n import N_, gettext

DOCS_PATH = "/api/v1/docs"
STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}h3 code{font-size:1.05em}code,pre{background:#f3f3f3;padding:0 .2em}
pre{padding:.6em;overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f7f7f7}
.method{font-weight:bold;text-transform:uppercase}nav a{margin-right:1em}"""


def _type(schema: dict[str, Any]) -> str:
    """A short, readable type for a JSON Schema fragment."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
    if "anyOf" in schema:
        return " or ".join(_type(part) for part in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(f"<code>{escape(str(v))}</code>" for v in schema["enum"])
    if "const" in schema:
        return f"<code>{escape(str(schema['const']))}</code>"
    kind = schema.get("type", "any")
    if kind == "array":
        return "list of " + _type(schema.get("items", {}))
    if schema.get("format"):
        return f"{escape(str(kind))} ({escape(schema['format'])})"
    return escape(str(kind))


def _example(schema: dict[str, Any], holder: dict[str, Any] | None = None) -> str:
    for source in (holder or {}, schema):
        if "example" in source:
            return f"<code>{escape(json.dumps(source['example'], ensure_ascii=False))}</code>"
        if source.get("examples"):
            examples = source["examples"]
            value = next(iter(examples.values()))["value"] if isinstance(examples, dict) else examples[0]
            return f"<code>{escape(json.dumps(value, ensure_ascii=False))}</code>"
    return ""


def _row(*cells: str, header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f"<{tag}>{cell}</{tag}>" for cell in cells) + "</tr>"


def _operation(path: str, method: str, op: dict[str, Any], t) -> list[str]:
    anchor = escape(op.get("operationId", path))
    out = [f'<h3 id="{anchor}"><span class="method">{escape(method)}</span> <code>{escape(path)}</code></h3>',
           f"<p>{escape(op.get('description') or op.get('summary', ''))}</p>"]
    params = op.get("parameters", [])
    if params:
        out.append(f"<table>{_row(t('Parameter'), t('In'), t('Type'), t('Description'), t('Example'), header=True)}")
        for p in params:
            schema = p.get("schema", {})
            name = f"<code>{escape(p['name'])}</code>" + (" *" if p.get("required") else "")
            out.append(_row(name, escape(p.get("in", "")), _type(schema),
                            escape(p.get("description") or schema.get("description", "")), _example(schema, p)))
        out.append("</table>")
    out.append(f"<table>{_row(t('Status'), t('Meaning'), t('Content'), header=True)}")
    for status, response in op.get("responses", {}).items():
        content = ", ".join(f"<code>{escape(media)}</code>" for media in response.get("content", {}))
        out.append(_row(escape(status), escape(response.get("description", "")), content))
    out.append("</table>")
    return out


def _schema(name: str, schema: dict[str, Any], t) -> list[str]:
    out = [f'<h3 id="schema-{escape(name)}"><code>{escape(name)}</code></h3>',
           f"<p>{escape(schema.get('description', ''))}</p>"]
    if "enum" in schema:
        out.append("<p>" + ", ".join(f"<code>{escape(str(v))}</code>" for v in schema["enum"]) + "</p>")
    properties = schema.get("properties", {})
    if properties:
        out.append(f"<table>{_row(t('Field'), t('Type'), t('Description'), t('Example'), header=True)}")
        for field, spec in properties.items():
            out.append(_row(f"<code>{escape(field)}</code>", _type(spec), escape(spec.get("description", "")),
                            _example(spec)))
        out.append("</table>")
    return out


def render(openapi: dict[str, Any], lang: str = "en") -> str:
    """The whole reference as one HTML page."""
    def t(message: str) -> str:
        return escape(gettext(lang, message))

    info = openapi.get("info", {})
    body = [f"<h1>{escape(info.get('title', ''))}</h1>", f"<p>{escape(info.get('description', ''))}</p>",
            f'<nav><a href="/api/v1/openapi.json">openapi.json</a><a href="#schemas">{t(N_("Data fields"))}</a></nav>',
            f"<h2>{t(N_('Endpoints'))}</h2>"]
    for path, methods in openapi.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, op in methods.items():
            body.extend(_operation(path, method, op, t))
    body.append(f'<h2 id="schemas">{t(N_("Data fields"))}</h2>')
    for name, schema in openapi.get("components", {}).get("schemas", {}).items():
        if name not in ("HTTPValidationError", "ValidationError"):
            body.extend(_schema(name, schema, t))
    return (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(info.get('title', 'API'))}</title><style>{STYLE}</style></head>"
            f"<body>{''.join(body)}</body></html>")


# Table headings, marked for extraction (they are looked up by their English text above).
_HEADINGS = (N_("Parameter"), N_("In"), N_("Type"), N_("Description"), N_("Example"), N_("Status"),
             N_("Meaning"), N_("Content"), N_("Field"))


def install(app: FastAPI) -> None:
    @app.get(DOCS_PATH, include_in_schema=False, response_class=HTMLResponse)
    async def api_docs(request: Request) -> HTMLResponse:
        """The API reference, readable without a token and without the internet."""
        return HTMLResponse(render(app.openapi(), accept_language(request.headers.get("accept-language"))))
