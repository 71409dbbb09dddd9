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


def test_speaker_after_a_dateline():
    text = "Kyiv, Ukraine (CNN) — Ukrainian President Volodymyr Zelensky said on Tuesday that the line held."
    art = enrich(text, [att(text, "a1", "Kyiv, Ukraine (CNN)", "said", "the line held")])
    src = source_of(art, "a1")
    assert src.name == "Volodymyr Zelensky" and src.role == "Ukrainian President"


def test_unnamed_role_takes_the_type_of_whom_it_speaks_for():
    text = "A reporter for the Washington Post said the hall was empty. An official at the ministry said it was full."
    art = enrich(text, [
        att(text, "a1", "A reporter for the Washington Post", "said", "the hall was empty"),
        att(text, "a2", "An official at the ministry", "said", "it was full"),
    ])
    assert source_of(art, "a1").type == SourceType.media
    assert source_of(art, "a2").type == SourceType.anonymous


def test_possessive_of_a_state_is_part_of_the_name_not_a_chain():
    text = "Russia's Defence Ministry said two villages were captured."
    art = enrich(text, [att(text, "a1", "Russia's Defence Ministry", "said", "two villages were captured")])
    assert [link.name for link in art.attributions[0].chain] == ["Russia's Defence Ministry"]
    assert source_of(art, "a1").type == SourceType.government


def test_role_nouns_and_organisation_nouns_refer_back():
    text = ("US President Joe Biden met donors on Monday. The president said the economy was strong. "
            "Acme Corp said profits rose. The company said it would hire.")
    art = enrich(text, [
        att(text, "a1", "The president", "said", "the economy was strong"),
        att(text, "a2", "Acme Corp", "said", "profits rose"),
        att(text, "a3", "The company", "said", "it would hire"),
    ])
    assert source_of(art, "a1").name == "Joe Biden"
    assert source_of(art, "a3").id == source_of(art, "a2").id


def test_people_spoken_to_are_not_sources():
    text = "The mayor told reporters the pool would reopen."
    art = enrich(text, [att(text, "a1", "The mayor", "told", "the pool would reopen")])
    assert [s.name for s in art.sources] == ["mayor"]


def test_pronoun_and_epithet_find_a_person_named_before_who_had_not_spoken():
    text = ("Senator Marco Rubio toured the port. He said the cranes were old. "
            "The Florida senator added that funds were coming.")
    art = enrich(text, [
        att(text, "a1", "He", "said", "the cranes were old"),
        att(text, "a2", "The Florida senator", "added", "funds were coming"),
    ])
    assert source_of(art, "a1").name == "Marco Rubio"
    assert source_of(art, "a2").id == source_of(art, "a1").id


def test_a_date_in_the_subject_is_not_part_of_the_source():
    text = "The Supreme Court on Thursday said it would hear the case."
    art = enrich(text, [att(text, "a1", "The Supreme Court on Thursday", "said", "it would hear the case")])
    assert art.attributions[0].source[0].text == "The Supreme Court"
    assert source_of(art, "a1").name == "Supreme Court"
