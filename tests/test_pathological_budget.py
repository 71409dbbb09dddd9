"""A request's time budget holds inside the long stages, and ``POST /ingest`` has one too (issue #11).

The budget used to be checked only between stages, so one long rule extraction or claim stage ran to
its end past the limit. Work between two checks is counted in function calls here, not timed.
"""

from __future__ import annotations

import sys
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sourcetrace import claims, deadline, ingest
from sourcetrace.api import app as api_app
from sourcetrace.api import create_app
from sourcetrace.deadline import Budget
from sourcetrace.errors import AnalysisStopped
from sourcetrace.nlp.pipeline import load_pipeline
from sourcetrace.nlp.rules import RuleExtractor
from sourcetrace.store import Store
from sourcetrace.ingest.inputs import Item
from sourcetrace.store.runner import ingest as run_ingest

TEXT = "The harbour authority said the bridge would reopen on Monday. Engineers claimed the repairs were finished."


def answering_quotes(n: int) -> str:
    return " ".join('"Yes," he said. "No," she said.' for _ in range(n))


def _parsed(text: str):
    """The parse and the rules' attributions, made with no budget."""
    doc = load_pipeline("rules")(text)
    article = ingest.from_text(text, language="en")
    article.attributions = list(doc._.attributions)
    return doc, article


def _spent() -> Budget:
    budget = Budget(None)
    budget.cancel()
    return budget


def test_the_rule_extractor_stops_inside_when_the_budget_is_spent():
    doc, _ = _parsed(answering_quotes(20))
    with deadline.within(_spent()), pytest.raises(AnalysisStopped):
        RuleExtractor()(doc)


def test_the_claim_stage_stops_inside_when_the_budget_is_spent():
    doc, article = _parsed(answering_quotes(20))
    with deadline.within(_spent()), pytest.raises(AnalysisStopped):
        claims.enrich(article, doc)


class _Gaps(Budget):
    """Counts the function calls made between two checks."""

    def __init__(self):
        super().__init__(None)
        self.calls = self.at_last_check = 0
        self.gaps: list[int] = []

    def check(self) -> None:
        self.gaps.append(self.calls - self.at_last_check)
        self.at_last_check = self.calls
        super().check()

    def run(self, fn):
        def hook(frame, event, arg):
            if event in ("call", "c_call"):
                self.calls += 1

        sys.setprofile(hook)
        try:
            with deadline.within(self):
                fn()
        finally:
            sys.setprofile(None)
        self.gaps.append(self.calls - self.at_last_check)


@pytest.mark.parametrize("stage", ["rules", "claims"])
def test_the_budget_is_checked_all_through_a_long_stage(stage):
    n = 200
    doc, article = _parsed(answering_quotes(n))
    gaps = _Gaps()
    gaps.run((lambda: RuleExtractor()(doc)) if stage == "rules" else (lambda: claims.enrich(article, doc)))
    assert len(gaps.gaps) > 2 * n  # at least once per quote or attribution
    # no stretch without a check is more than 2 % of the stage (0.7 % now; checked between stages only,
    # the stage was one stretch); before the first check the stage reads the text once
    assert max(gaps.gaps[1:]) < 0.02 * gaps.calls, (max(gaps.gaps[1:]), gaps.calls)


def test_ingest_over_the_time_limit_is_a_503(tmp_path):
    app = create_app(str(tmp_path / "s.db"), request_timeout=0.0)
    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.post("/ingest", json={"articles": [{"text": TEXT}, {"text": TEXT + " More."}]})
        assert resp.status_code == 503, resp.text
        body = resp.json()
        assert set(body) == {"error"} and body["error"]["status"] == 503
        assert "ingest took longer" in body["error"]["message"] and "0 of 2 items" in body["error"]["message"]
        assert c.get("/articles").json()["total"] == 0
    app.state.store.close()


def test_ingest_in_time_answers_as_before(tmp_path):
    app = create_app(str(tmp_path / "s.db"), request_timeout=600)
    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.post("/ingest", json={"articles": [{"text": TEXT}, {"text": ""}]})
        assert resp.status_code == 200, resp.text
        assert (resp.json()["stored"], resp.json()["failed"]) == (1, 1)
    app.state.store.close()


def test_an_abandoned_ingest_is_cancelled(tmp_path, monkeypatch):
    made: list[Budget] = []

    class Recorded(Budget):
        def __init__(self, seconds):
            super().__init__(seconds)
            made.append(self)
            self.cancel()  # as if the client went away before the work began

    monkeypatch.setattr(api_app, "Budget", Recorded)
    app = create_app(str(tmp_path / "s.db"), request_timeout=600)
    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.post("/ingest", json={"articles": [{"text": TEXT}]})
        assert resp.status_code == 503 and "went away" in resp.json()["error"]["message"]
    assert made and made[0].cancelled
    app.state.store.close()


def test_a_batch_stopped_by_its_budget_keeps_what_it_stored_and_fails_nothing(tmp_path):
    store = Store.open(str(tmp_path / "s.db"))
    budget = Budget(600)

    def spend_after_the_first(item, outcome, article_id, error):
        budget.ends = 0.0  # spent from now on

    texts = [TEXT, TEXT + " The mayor said it was late.", TEXT + " Residents said they were relieved."]
    items = [Item(f"t{i}", lambda t=t: ingest.from_text(t, language="en")) for i, t in enumerate(texts)]
    with deadline.within(budget), pytest.raises(AnalysisStopped):
        run_ingest(store, items, batch_size=1, on_item=spend_after_the_first)
    assert store.list_articles().total == 1
    assert store.failures() == []
    # the same batch again, in time: the stored one is skipped, the others stored
    report = run_ingest(store, items, batch_size=1)
    assert (report.stored, report.skipped, report.failed) == (2, 1, 0)
    store.close()
