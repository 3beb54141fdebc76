"""The committed OpenAPI document is the API's: a change to one without the other fails here."""

from pathlib import Path

import pytest
import yaml
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"


def generated() -> str:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


def test_the_committed_schema_is_the_api():
    assert generated() == COMMITTED.read_text(), (
        "The API changed: regenerate with `DATABASE_URL= .venv/bin/python manage.py spectacular "
        "--file docs/openapi.yaml --validate` and commit it."
    )


def test_every_operation_documents_its_errors_and_an_example():
    schema = yaml.safe_load(COMMITTED.read_text())
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 29
    for operation in operations:
        for parameter in operation.get("parameters", []):
            assert parameter.get("example") not in (None, ""), (operation["operationId"], parameter["name"])
        assert {"403", "406", "429"} <= set(operation["responses"]), operation["operationId"]
        for response in operation["responses"].values():
            for body in response.get("content", {}).values():
                assert "example" in body, operation["operationId"]
    for path, item in schema["paths"].items():
        if "{" in path:
            for method, operation in item.items():
                assert "404" in operation["responses"], (method, path)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_need_no_outside_network(url):
    page = Client().get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


@pytest.mark.django_db
def test_the_live_schema_is_served():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200 and b"/api/v1/commitments/" in response.content
