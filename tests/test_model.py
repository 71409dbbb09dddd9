"""The data model and its published JSON Schema."""

import json
from pathlib import Path

from sourcetrace.model import SCHEMA_VERSION, Article, Attribution, Span, article_json_schema

ROOT = Path(__file__).parents[1]


def test_published_schema_matches_the_model():
    published = json.loads((ROOT / "schema" / "article.schema.json").read_text())
    assert published == json.loads(json.dumps(article_json_schema())), (
        "schema/article.schema.json is stale: run `sourcetrace schema -o schema/article.schema.json`"
    )
    assert SCHEMA_VERSION in published["$id"]


def test_span_of_takes_the_text_from_offsets():
    text = "The mayor said the bridge is safe."
    span = Span.of(text, 4, 9)
    assert (span.start, span.end, span.text) == (4, 9, "mayor")


def test_article_round_trips_through_json():
    text = "The mayor said the bridge is safe."
    article = Article(
        text=text,
        published="2024-03-14",
        attributions=[Attribution(id="a1", source=[Span.of(text, 0, 9)], cue=[Span.of(text, 10, 14)])],
    )
    again = Article.model_validate_json(article.model_dump_json())
    assert again == article
    assert again.published.isoformat() == "2024-03-14"


def test_unknown_fields_are_rejected():
    import pydantic
    import pytest

    with pytest.raises(pydantic.ValidationError):
        Article(text="x", headline="not a field")
