"""Certainty: hedges, conditions, denials, predictions; distancing vs neutral cue verbs."""

from claims_support import att, enrich

from sourcetrace.model import Certainty


def _markers(a):
    return {(m.span.text.lower(), m.kind.value, m.distancing) for m in a.certainty_markers}


def test_distancing_cue_is_told_apart_from_a_neutral_one():
    text = "The company claimed the spill was small. The regulator said the spill was large."
    art = enrich(text, [
        att(text, "a1", "The company", "claimed", "the spill was small"),
        att(text, "a2", "The regulator", "said", "the spill was large"),
    ])
    claimed, said = art.attributions
    assert ("claimed", "hedged", True) in _markers(claimed)
    assert claimed.certainty == Certainty.hedged
    assert said.certainty_markers == [] and said.certainty == Certainty.reported


def test_hedges_conditions_denials_and_predictions():
    text = ("Police said the suspect had allegedly fled abroad. Analysts said the deal could collapse, if true. "
            "The ministry denied that troops were moved. The agency said prices will fall next year.")
    art = enrich(text, [
        att(text, "a1", "Police", "said", "the suspect had allegedly fled abroad"),
        att(text, "a2", "Analysts", "said", "the deal could collapse"),
        att(text, "a3", "The ministry", "denied", "troops were moved"),
        att(text, "a4", "The agency", "said", "prices will fall next year"),
    ])
    a1, a2, a3, a4 = art.attributions
    assert a1.certainty == Certainty.hedged and ("allegedly", "hedged", True) in _markers(a1)
    assert a2.certainty == Certainty.conditional and ("could", "conditional", False) in _markers(a2)
    assert a3.certainty == Certainty.denied
    assert a4.certainty == Certainty.predicted
    second = art.statements[1]
    assert {"could", "if true"} <= {m.span.text for m in second.certainty_markers}


def test_own_voice_hedges_and_neither_confirmed_nor_denied():
    text = ("The rebels have reportedly seized the airport. Moscow has neither confirmed nor denied the report. "
            "The bridge opened in 1932.")
    art = enrich(text, [])
    s1, s2, s3 = art.statements
    assert s1.own_voice and s1.certainty == Certainty.hedged
    assert s2.certainty == Certainty.denied
    assert s2.certainty_markers[0].span.text == "neither confirmed nor denied"
    assert s3.certainty == Certainty.asserted and s3.certainty_markers == []


def test_month_may_is_not_a_modal():
    text = "In May, officials said the dam was safe."
    art = enrich(text, [att(text, "a1", "officials", "said", "the dam was safe")])
    assert art.attributions[0].certainty == Certainty.reported
    assert art.statements[0].certainty_markers == []


def test_marker_spans_point_at_the_words():
    text = "The minister is said to have resigned."
    art = enrich(text, [])
    m = art.statements[0].certainty_markers[0]
    assert text[m.span.start : m.span.end] == m.span.text == "is said to"


def test_hedges_on_the_cue_and_hedging_cues_count():
    text = "The general reportedly told aides the offensive had stalled. It is understood that talks resumed."
    art = enrich(text, [
        att(text, "a1", "The general", "told", "the offensive had stalled"),
        att(text, "a2", None, "It is understood", "talks resumed"),
    ])
    a1, a2 = art.attributions
    assert "reportedly" in {m.span.text for m in a1.certainty_markers}
    assert a2.certainty == Certainty.hedged


def _said(text, content, source="Officials", cue="said"):
    return enrich(text, [att(text, "a1", source, cue, content)]).attributions[0]


def test_reported_will_is_a_prediction_but_a_condition_or_hypothetical_stays_conditional():
    assert _said("The mayor said the bridge would reopen on Monday.", "the bridge would reopen on Monday",
                 "The mayor").certainty == Certainty.predicted
    assert _said("Officials warned that prices would rise.", "prices would rise", cue="warned").certainty == Certainty.predicted
    assert _said("The mayor said the bridge would reopen if the inspection passed.",
                 "the bridge would reopen if the inspection passed", "The mayor").certainty == Certainty.conditional
    hypothetical = "Putin warned that allowing strikes would signify open war."
    assert _said(hypothetical, "allowing strikes would signify open war", "Putin", "warned").certainty == Certainty.conditional


def test_a_past_habit_is_not_a_prediction():
    text = "He would often visit the site, a neighbour said."
    a = enrich(text, [att(text, "a1", "a neighbour", "said", "He would often visit the site")]).attributions[0]
    assert a.certainty != Certainty.predicted


def test_an_unconfirmed_source_hedges_the_claim():
    text = "According to unconfirmed reports, the convoy was hit."
    a = enrich(text, [att(text, "a1", "unconfirmed reports", "According to", "the convoy was hit")]).attributions[0]
    assert a.certainty == Certainty.hedged and ("unconfirmed", "hedged", False) in _markers(a)
    plain = "According to the army, the convoy was hit."
    assert enrich(plain, [att(plain, "a1", "the army", "According to", "the convoy was hit")]).attributions[0].certainty == Certainty.reported


def test_being_unable_to_verify_is_a_hedge_not_a_condition():
    a = _said("Officials said they could not confirm the figure.", "they could not confirm the figure")
    assert a.certainty == Certainty.hedged and ("could not confirm", "hedged", False) in _markers(a)
    a = _said("The ministry said it had not been able to verify the report.", "it had not been able to verify the report",
              "The ministry")
    assert a.certainty == Certainty.hedged
    assert _said("The spokesman said it was too early to say who was responsible.",
                 "it was too early to say who was responsible", "The spokesman").certainty == Certainty.hedged


def test_calling_claims_false_or_baseless_is_a_denial():
    assert _said("The ministry said the claims were false.", "the claims were false", "The ministry").certainty == Certainty.denied
    assert _said("The governor said the allegations were baseless.", "the allegations were baseless",
                 "The governor").certainty == Certainty.denied
    assert _said("The governor said the allegations were serious.", "the allegations were serious",
                 "The governor").certainty == Certainty.reported


def test_intentions_and_schedules_are_predictions():
    assert _said("He said the firm intends to cut jobs.", "the firm intends to cut jobs", "He").certainty == Certainty.predicted
    assert _said("Officials said the trial is scheduled to open in May.",
                 "the trial is scheduled to open in May").certainty == Certainty.predicted


def test_a_denial_not_made_is_no_denial():
    text = "The ministry did not deny the report."
    a = enrich(text, [att(text, "a1", "The ministry", "did not deny", "the report")]).attributions[0]
    assert a.certainty == Certainty.hedged
    text = "The ministry denied the report."
    assert enrich(text, [att(text, "a1", "The ministry", "denied", "the report")]).attributions[0].certainty == Certainty.denied


def test_a_refusal_to_confirm_reaching_from_cue_into_content():
    text = "Officials refused to confirm the deaths."
    a = enrich(text, [att(text, "a1", "Officials", "refused", "to confirm the deaths")]).attributions[0]
    assert a.certainty == Certainty.denied and ("refused to confirm", "denied", False) in _markers(a)


def test_no_evidence_denies_and_possible_is_conditional():
    assert _said("The spokesman said there was no evidence the vote was rigged.",
                 "there was no evidence the vote was rigged", "The spokesman").certainty == Certainty.denied
    assert _said("Diplomats said a deal was possible.", "a deal was possible", "Diplomats").certainty == Certainty.conditional


def test_a_past_tense_likelihood_is_a_prediction():
    assert _said("A spokesman said the death toll was likely to rise.", "the death toll was likely to rise",
                 "A spokesman").certainty == Certainty.predicted


def test_it_is_thought_before_a_cue_hedges_the_claim():
    text = "It is thought the package will affect 1.3 million households."
    a = enrich(text, [att(text, "a1", None, "is thought", "the package will affect 1.3 million households")]).attributions[0]
    assert a.certainty == Certainty.hedged and ("it is thought", "hedged", False) in _markers(a)


def test_reported_will_in_a_second_coordinated_clause_is_a_prediction():
    text = "Treasury sources said no decision had been taken and that any changes would be announced in spring."
    a = _said(text, "no decision had been taken and that any changes would be announced in spring", "Treasury sources")
    assert a.certainty == Certainty.predicted


def test_a_wish_with_would_is_neither_condition_nor_forecast():
    a = _said("The mayor said she would like to see more police.", "she would like to see more police", "The mayor")
    assert a.certainty == Certainty.reported and a.certainty_markers == []


def test_would_not_say_is_a_hedge():
    text = "The spokesman would not say whether troops had crossed."
    a = enrich(text, [att(text, "a1", "The spokesman", "would not say", "whether troops had crossed")]).attributions[0]
    assert a.certainty == Certainty.hedged
