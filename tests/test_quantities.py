"""Quantities: values, qualifiers, units or things counted, and which claim holds them."""

import pytest
from claims_support import att, enrich


def _q(art):
    return [(q.value, q.qualifier, q.unit_or_thing) for q in art.quantities]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("About 1.2 million people fled the city.", (1_200_000, "about", "people")),
        ("The army lost three tanks in the attack.", (3, None, "tanks")),
        ("At least 40 civilians were hurt.", (40, "at least", "civilians")),
        ("The drone can fly up to 5 km from its base.", (5, "up to", "km")),
        ("The plant emits more than 2,500 tonnes of coal dust a year.", (2500, "more than", "tonnes")),
        ("Inflation fell to 15% in March.", (15, None, "%")),
        ("The fund lost $5 billion.", (5_000_000_000, None, "USD")),
        ("A 60kg parcel arrived.", (60, None, "kg")),
        ("The convoy had 12 armoured personnel carriers.", (12, None, "armoured personnel carriers")),
    ],
)
def test_value_qualifier_and_unit(text, expected):
    assert _q(enrich(text, []))[0] == expected


def test_a_year_is_not_a_quantity():
    text = "In 2019, the company hired 200 workers. Sales doubled by 2021."
    assert _q(enrich(text, [])) == [(200, None, "workers")]


def test_dates_ordinals_and_model_names_are_not_quantities():
    text = "On 24 November 2024 the first F-16 and two M270 launchers arrived."
    values = [q.value for q in enrich(text, []).quantities]
    assert values == [2]


def test_quantity_knows_the_attribution_whose_content_holds_it():
    text = "The ministry said 300 soldiers were killed. Another 12 were missing."
    art = enrich(text, [att(text, "a1", "The ministry", "said", "300 soldiers were killed")])
    held = {q.value: q.attribution_id for q in art.quantities}
    assert held == {300: "a1", 12: None}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The deal is worth $1.5bn.", (1_500_000_000, None, "USD")),
        ("The wall runs for 1,000km along the border.", (1000, None, "km")),
    ],
)
def test_glued_multipliers_and_units(text, expected):
    assert _q(enrich(text, []))[0] == expected


def test_dozen_multiplies_the_number_before_it():
    assert _q(enrich("Two dozen protesters were detained.", [])) == [(24, None, "protesters")]


def test_both_ends_of_a_range_count_the_same_thing():
    art = enrich("Between 300 and 400 workers walked out of the plant.", [])
    assert _q(art) == [(300, "between", "workers"), (400, "between", "workers")]
    assert [q.span.text for q in art.quantities] == ["Between 300", "400 workers"]


@pytest.mark.parametrize(
    "text",
    ["Readers can call the hotline on 0800 555 0199 for advice.", "The code 0451 opened the gate."],
)
def test_phone_numbers_and_codes_are_not_quantities(text):
    assert enrich(text, []).quantities == []


def test_a_letter_m_before_a_counted_noun_is_million_not_metres():
    assert _q(enrich("Officials counted 2.3m votes.", [])) == [(2_300_000, None, "votes")]
    assert _q(enrich("They built a 5 m wall.", []))[0][2] == "m"


def test_a_number_naming_a_room_or_flight_is_not_a_quantity():
    assert enrich("Room 101 was sealed off and Flight 370 never landed.", []).quantities == []


def test_a_count_the_tagger_reads_as_part_of_a_date_is_kept():
    values = [q.value for q in enrich("Police arrested 1,250 people, up from 900 a year earlier.", []).quantities]
    assert values == [1250, 900]
    assert all(q.value != 24 for q in enrich("Sanctions apply from 24 November to 3 December.", []).quantities)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("More than a third of voters backed the plan.", (0.3333, "more than", "voters")),
        ("Two-thirds of the budget goes to defence.", (0.6667, None, "budget")),
        ("Three quarters of local businesses closed.", (0.75, None, "local businesses")),
        ("About a quarter of a million people fled.", (250_000, "about", "people")),
        ("Nearly half a million people fled.", (500_000, "nearly", "people")),
    ],
)
def test_shares_and_fractions_written_as_words(text, expected):
    assert _q(enrich(text, [])) == [expected]


def test_a_half_or_quarter_that_is_a_part_of_time_is_no_share():
    assert enrich("The first half of the match was dull and he left in the second quarter of the year.", []).quantities == []


def test_the_low_end_of_a_range_shares_the_scale_word_of_the_high_end():
    art = enrich("Insurers put losses at between 1.5 and 2 billion euros.", [])
    assert _q(art) == [(1_500_000_000, "between", "euros"), (2_000_000_000, "between", "euros")]
    assert _q(enrich("Between 300 and 400 workers walked out.", []))[0][0] == 300


@pytest.mark.parametrize("text", ["The court ruled 5-4 in the case.", "The team won 3-2 on Sunday.", "He lives at No. 10."])
def test_scores_votes_and_house_numbers_are_not_quantities(text):
    assert enrich(text, []).quantities == []


def test_a_hyphenated_range_counts_its_thing_at_both_ends_and_minus_is_negative():
    assert _q(enrich("The army sent 20-30 tanks.", [])) == [(20, None, "tanks"), (30, None, "tanks")]
    assert _q(enrich("Temperatures hit minus 20 degrees.", [])) == [(-20, None, "degrees")]
