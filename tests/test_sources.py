"""Source resolution and typing: one entity per source, full names, roles, types."""

from claims_support import att, enrich, source_of

from sourcetrace.model import SourceType


def test_surname_resolves_to_full_name_and_role_given_earlier():
    text = ("Prime Minister Keir Starmer visited Leeds on Monday. Starmer said the plan would work. "
            "Later Starmer added that funding was secure.")
    art = enrich(text, [
        att(text, "a1", "Starmer", "said", "the plan would work", near="Starmer said"),
        att(text, "a2", "Starmer", "added", "funding was secure", near="Later Starmer"),
    ])
    src = source_of(art, "a1")
    assert src.name == "Keir Starmer"
    assert src.type == SourceType.person
    assert src.role == "Prime Minister"
    assert source_of(art, "a2").id == src.id
    assert len(src.mentions) == 2


def test_pronoun_resolves_to_the_last_person():
    text = "Angela Merkel spoke in Berlin on Tuesday. She said talks had failed."
    art = enrich(text, [
        att(text, "a1", "Angela Merkel", "spoke", None),
        att(text, "a2", "She", "said", "talks had failed"),
    ])
    assert source_of(art, "a2").name == "Angela Merkel"


def test_outlet_nominals_and_acronyms_are_one_media_entity():
    text = ("The Wall Street Journal (WSJ) reported that the merger was close. The newspaper said talks began in May. "
            "Executives told the WSJ that a deal could come soon.")
    art = enrich(text, [
        att(text, "a1", "The Wall Street Journal (WSJ)", "reported", "the merger was close"),
        att(text, "a2", "The newspaper", "said", "talks began in May"),
        att(text, "a3", "Executives", "told", "a deal could come soon"),
    ])
    wsj = source_of(art, "a1")
    assert wsj.name == "Wall Street Journal" and wsj.type == SourceType.media
    assert source_of(art, "a2").id == wsj.id
    assert [link.name for link in art.attributions[2].chain][0] == "Wall Street Journal"


def test_anonymous_sources_are_typed_anonymous():
    text = ("Two people familiar with the matter said the talks had stalled. "
            "A senior official said the proposal was dead.")
    art = enrich(text, [
        att(text, "a1", "Two people familiar with the matter", "said", "the talks had stalled"),
        att(text, "a2", "A senior official", "said", "the proposal was dead"),
    ])
    for aid in ("a1", "a2"):
        src = source_of(art, aid)
        assert src.type == SourceType.anonymous and src.anonymous
    assert source_of(art, "a1").id != source_of(art, "a2").id


def test_state_actors_documents_and_organisations():
    text = ("The Kremlin said the drills were routine. Germany's defence ministry said two jets were scrambled. "
            "Israel said the strike hit a depot. Amnesty International said civilians were killed. "
            "A leaked memo said the budget was cut.")
    art = enrich(text, [
        att(text, "a1", "The Kremlin", "said", "the drills were routine"),
        att(text, "a2", "Germany's defence ministry", "said", "two jets were scrambled"),
        att(text, "a3", "Israel", "said", "the strike hit a depot"),
        att(text, "a4", "Amnesty International", "said", "civilians were killed"),
        att(text, "a5", "A leaked memo", "said", "the budget was cut"),
    ])
    types = {aid: source_of(art, aid).type for aid in ("a1", "a2", "a3", "a4", "a5")}
    assert types == {
        "a1": SourceType.government,
        "a2": SourceType.government,
        "a3": SourceType.government,
        "a4": SourceType.organisation,
        "a5": SourceType.document,
    }


def test_apposition_gives_the_role_and_the_name():
    text = "Maria Lopez, a spokeswoman for the port authority, said the cranes were repaired."
    art = enrich(text, [att(text, "a1", "Maria Lopez, a spokeswoman for the port authority", "said", "the cranes were repaired")])
    src = source_of(art, "a1")
    assert src.name == "Maria Lopez" and src.type == SourceType.person
    assert src.role == "a spokeswoman for the port authority"


def test_relative_pronoun_source_stands_for_its_antecedent():
    # "said" inside a relative clause about a past event is still an attribution, and "who" is the minister.
    text = "The finance minister, who said last year that taxes would rise, resigned on Monday."
    art = enrich(text, [att(text, "a1", "who", "said", "taxes would rise")], published="2024-06-05")
    src = source_of(art, "a1")
    assert src.name == "finance minister"
    assert src.type == SourceType.government
    last_year = next(d for d in art.dates if d.span.text == "last year")
    assert last_year.resolved == "2023-01-01/2023-12-31"
    assert art.statements[0].own_voice is False


def test_unrelated_people_stay_apart():
    text = "John Smith said prices rose. Mary Smith said wages fell."
    art = enrich(text, [
        att(text, "a1", "John Smith", "said", "prices rose"),
        att(text, "a2", "Mary Smith", "said", "wages fell"),
    ])
    assert source_of(art, "a1").id != source_of(art, "a2").id


def test_role_set_off_by_commas_before_the_name():
    text = "Prices will rise, the head of the central bank, Ana Ruiz said on Monday."
    art = enrich(text, [att(text, "a1", "Ana Ruiz", "said", "Prices will rise")])
    src = source_of(art, "a1")
    assert src.name == "Ana Ruiz" and src.role == "head of the central bank"
