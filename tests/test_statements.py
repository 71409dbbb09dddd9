"""Statements, the sourcing profile, and enrich's tolerance of odd extractor output."""

from claims_support import att, enrich, span

from sourcetrace.model import Attribution, ContentKind


def test_statements_profile_counts():
    text = ("The dam burst on Monday. Officials said 40 homes were flooded, citing unnamed engineers. "
            "Mayor Ann Lee said the town would rebuild. Lee added that aid had reportedly arrived.\n"
            "Photo: river at night")
    art = enrich(text, [
        att(text, "a1", "Officials", "said", "40 homes were flooded"),
        att(text, "a2", "Mayor Ann Lee", "said", "the town would rebuild"),
        att(text, "a3", "Lee", "added", "aid had reportedly arrived"),
    ])
    assert [s.own_voice for s in art.statements] == [True, False, False, False]  # the caption is no statement
    p = art.profile
    assert p.statements == 4
    assert p.attributed_share == 0.75
    assert p.anonymous_share == 0.25
    assert p.named_sources == {"Ann Lee": 2}
    assert p.anonymous_sources == 2  # the officials and the engineers they cite
    assert p.deepest_chain == 2
    assert p.hedges == 1


def test_a_quoted_title_is_not_a_statement():
    text = 'She starred in the film "War and Peace" in 1966.'
    quote = Attribution(id="q1", content=[span(text, '"War and Peace"')], content_kind=ContentKind.direct)
    art = enrich(text, [quote])
    assert art.attributions == []
    assert art.statements[0].own_voice


def test_a_quoted_sentence_without_cue_is_kept():
    text = '"We will not retreat," the general told troops.'
    quote = Attribution(id="q1", content=[span(text, '"We will not retreat,"')], content_kind=ContentKind.direct)
    assert [a.id for a in enrich(text, [quote]).attributions] == ["q1"]


def test_odd_extractor_output_does_not_break_enrich():
    text = "The council said the road will close. The council said the road will close again."
    good = att(text, "x", "The council", "said", "the road will close")
    dup_id = att(text, "x", "The council", "said", "the road will close again", near="close.")
    same_spans = att(text, "y", "The council", "said", "the road will close")
    cut = Attribution(id="z", source=[span(text, "counc")], cue=[span(text, "said")], content=[])
    beyond = Attribution(id="w", source=[{"start": 500, "end": 520, "text": ""}], cue=[], content=[])
    empty = Attribution(id="v")
    art = enrich(text, [good, dup_id, same_spans, cut, beyond, empty])
    ids = [a.id for a in art.attributions]
    assert len(ids) == len(set(ids))
    assert "y" not in ids  # exact duplicate of "x"
    council = {a.source_id for a in art.attributions if a.source and a.source[0].text.startswith("The council")}
    assert len(council) == 1
    assert art.profile.statements == 2


def test_according_to_a_norm_is_not_a_source():
    text = "The officials said the handover is proceeding according to the treaty. According to the plan, troops leave in May."
    norm = att(text, "a2", "the treaty", "according to", "the handover is proceeding")
    plan = att(text, "a3", "the plan", "According to", "troops leave in May")
    art = enrich(text, [att(text, "a1", "The officials", "said", "the handover is proceeding according to the treaty"), norm, plan])
    assert [a.id for a in art.attributions] == ["a1", "a3"]


def test_content_kind_filled_from_quotation_marks_when_left_at_default():
    text = '"We are ready," she said. She said "the plan" was late. She said the plan was late.'
    art = enrich(text, [
        att(text, "a1", "she", "said", '"We are ready,"'),
        att(text, "a2", "She", "said", '"the plan" was late', near="She said \"the"),
        att(text, "a3", "She", "said", "the plan was late", near="She said the"),
    ])
    assert [a.content_kind.value for a in art.attributions] == ["direct", "mixed", "indirect"]


def test_named_sources_leave_out_unidentified_groups():
    text = "Critics said the law was rushed. The Treasury said it was not."
    art = enrich(text, [
        att(text, "a1", "Critics", "said", "the law was rushed"),
        att(text, "a2", "The Treasury", "said", "it was not"),
    ])
    assert art.profile.named_sources == {"Treasury": 1}


def test_an_unidentified_body_is_not_a_named_source_but_the_ministry_is():
    text = "An industry group warned that jobs would go. The ministry said no decision had been made."
    art = enrich(text, [
        att(text, "a1", "An industry group", "warned", "jobs would go"),
        att(text, "a2", "The ministry", "said", "no decision had been made"),
    ])
    assert art.profile.named_sources == {"ministry": 1}
