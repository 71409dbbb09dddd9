"""Loading a batch's Parquet dataset into the store (issue 12): same rows as Store.save, each article once, on SQLite and PostgreSQL."""

from __future__ import annotations

from batch_support import article_text
from dbfixtures import db_url  # noqa: F401  (pytest fixture)
from sqlalchemy import select

from sourcetrace.batch.dataset import Dataset
from sourcetrace.batch.work import Options, analyse_partition
from sourcetrace.ingest.items import RawItem
from sourcetrace.model import Article
from sourcetrace.store import SearchQuery, Store, search
from sourcetrace.batch.dataset import load_dataset
from sourcetrace.store.schema import attributions, certainty_markers, entities, quantities, sources, statements


def _dataset(root) -> Dataset:
    """Two partitions: three articles (one of them twice) and one empty document."""
    items = [RawItem(f"doc{n}.txt", "file", article_text(n).encode(), id=f"doc{n}") for n in range(3)]
    dataset = Dataset(root)
    dataset.prepare({"extractor": "rules"})
    first = analyse_partition("p-000000", items[:2], Options(extractor="rules"))
    second = analyse_partition("p-000001", [items[2], items[0], RawItem("empty.txt", "file", b"  ", id="empty")], Options(extractor="rules"))
    dataset.write(first.partition, first.tables)
    dataset.write(second.partition, second.tables)
    return dataset


def _content(store: Store) -> dict:
    """What the store holds, without row ids (they depend on the order of writes)."""
    with store.engine.connect() as conn:
        return {
            "entities": sorted(conn.execute(select(entities.c.key, entities.c.name, entities.c.type)).all()),
            "sources": sorted(conn.execute(select(sources.c.local_id, sources.c.name, sources.c.type, sources.c.role)).all()),
            "attributions": sorted(conn.execute(select(attributions.c.local_id, attributions.c.source_text, attributions.c.cue_text,
                                                       attributions.c.content_text, attributions.c.certainty)).all()),
            "statements": sorted(conn.execute(select(statements.c.text, statements.c.source_name, statements.c.own_voice,
                                                     statements.c.certainty, statements.c.start)).all(), key=repr),
            "markers": sorted(conn.execute(select(certainty_markers.c.kind, certainty_markers.c.text, certainty_markers.c.start)).all()),
            "quantities": sorted(conn.execute(select(quantities.c.value, quantities.c.text, quantities.c.start)).all()),
        }


def test_load_stores_each_article_once_with_the_rows_save_writes(db_url, tmp_path):
    dataset = _dataset(tmp_path / "out")
    with Store.open(db_url) as store:
        report = load_dataset(store, dataset.root)
        assert (report.stored, report.existing, report.failures) == (3, 1, 1)
        counts = store.counts()
        assert counts["articles"] == 3 and counts["failures"] == 1
        assert [f.ref for f in store.failures()] == ["empty.txt"]
        again = load_dataset(store, dataset.root)
        assert (again.stored, again.existing) == (0, 4)
        assert store.counts()["articles"] == 3 and store.counts()["statements"] == counts["statements"]
        loaded = _content(store)
        ids = [a.id for a in store.list_articles(per_page=10).items]
        assert {store.get_article(i).id for i in ids} == {"doc0", "doc1", "doc2"}
        hits = search(store, SearchQuery(q="repairs")).items  # the full-text index saw the loaded statements
        assert hits and all("repairs" in h.text for h in hits)
    # the same articles through Store.save, one by one, into a fresh store: the same rows
    saved_db = tmp_path / "saved.db"
    rows = [r for part in dataset.partitions() for r in _articles(dataset, part)]
    with Store.open(saved_db) as saved:
        for where, article in rows:
            saved.save(article, origin=where)
        assert _content(saved) == loaded


def _articles(dataset: Dataset, partition: str) -> list[tuple[str, Article]]:
    import pyarrow.parquet as pq

    table = pq.read_table(dataset.part("articles", partition), columns=["where", "article_json"]).to_pylist()
    return [(r["where"], Article.model_validate_json(r["article_json"])) for r in table]


def test_load_command(tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.link.provenance import list_stories

    dataset = _dataset(tmp_path / "out")
    db = str(tmp_path / "cli.db")
    first = CliRunner().invoke(app, ["load", str(dataset.root), "--db", db, "--no-link"])
    assert first.exit_code == 0 and first.stdout.strip() == "stored 3, already stored 1, failures recorded 1"
    with Store.open(db) as store:
        assert list_stories(store).total == 0  # --no-link: stored, not linked
    again = CliRunner().invoke(app, ["load", str(dataset.root), "--db", db])
    assert again.stdout.strip() == "stored 0, already stored 4, failures recorded 1"
    assert "linked 3 articles" in again.output  # without --no-link, load links what is not linked yet
    with Store.open(db) as store:
        assert list_stories(store).total >= 1
    wrong = CliRunner().invoke(app, ["load", str(tmp_path), "--db", db])
    assert wrong.exit_code == 1 and wrong.output.startswith("error: ") and "articles/" in wrong.output
