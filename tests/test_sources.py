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


# ---- names typed by their own words; nominals that find the body named before ----------------------


def test_newspaper_and_company_names_are_not_people_whatever_the_tagger_says():
    text = ("The Alder Gazette reported that the ferry would stop. Brennan Civil Works said it was ready. "
            "Morrow Holdings Ltd said costs had doubled. The Kestrel Valley Courier said the vote was close.")
    art = enrich(text, [
        att(text, "a1", "The Alder Gazette", "reported", "the ferry would stop"),
        att(text, "a2", "Brennan Civil Works", "said", "it was ready"),
        att(text, "a3", "Morrow Holdings Ltd", "said", "costs had doubled"),
        att(text, "a4", "The Kestrel Valley Courier", "said", "the vote was close"),
    ])
    assert source_of(art, "a1").type == SourceType.media
    assert source_of(art, "a2").type == SourceType.organisation
    assert source_of(art, "a3").type == SourceType.organisation
    assert source_of(art, "a4").type == SourceType.media


def test_people_whose_names_end_like_companies_or_papers_stay_people():
    text = "Harold Banks said the plant was safe. Tom Daily said it was not. Mayor Helen Ward agreed."
    art = enrich(text, [
        att(text, "a1", "Harold Banks", "said", "the plant was safe"),
        att(text, "a2", "Tom Daily", "said", "it was not"),
        att(text, "a3", "Mayor Helen Ward", "agreed", None),
    ])
    for aid in ("a1", "a2", "a3"):
        assert source_of(art, aid).type == SourceType.person


def test_a_title_before_a_mistagged_name_makes_a_person():
    text = "Councillor Ana Reyes, who chairs the committee, said she wanted a timeline."
    art = enrich(text, [att(text, "a1", "Councillor Ana Reyes, who chairs the committee", "said", "she wanted a timeline")])
    src = source_of(art, "a1")
    assert (src.type, src.name, src.role) == (SourceType.person, "Ana Reyes", "Councillor")


def test_the_newspaper_is_the_paper_named_before_not_a_new_source():
    text = ("The Alder Gazette, citing two officials, reported that repairs would cost more. "
            "The newspaper said inspections had been delayed.")
    art = enrich(text, [
        att(text, "a1", "The Alder Gazette", "reported", "repairs would cost more"),
        att(text, "a2", "The newspaper", "said", "inspections had been delayed"),
    ])
    assert source_of(art, "a2").id == source_of(art, "a1").id
    assert art.profile.named_sources == {"Alder Gazette": 2}


def test_a_nominal_finds_a_body_named_but_not_yet_quoted():
    text = ("The Riverside Water Authority was told in August. Staff at the Kestrel Valley Courier were not. "
            "The authority said filters would be sent. The paper said it had asked twice.")
    art = enrich(text, [
        att(text, "a1", "The authority", "said", "filters would be sent"),
        att(text, "a2", "The paper", "said", "it had asked twice"),
    ])
    assert source_of(art, "a1").name == "Riverside Water Authority"
    assert source_of(art, "a2").name == "Kestrel Valley Courier"
    assert source_of(art, "a2").type == SourceType.media


def test_a_body_nominal_never_resolves_to_a_person_or_an_official_at_it():
    text = ("The agency's director, Martin Feld, said the delay was needed. A senior official at the ministry said "
            "the minister would agree. The ministry said no decision had been made. The authority said it would act.")
    art = enrich(text, [
        att(text, "a1", "The agency's director, Martin Feld", "said", "the delay was needed"),
        att(text, "a2", "A senior official at the ministry", "said", "the minister would agree"),
        att(text, "a3", "The ministry", "said", "no decision had been made"),
        att(text, "a4", "The authority", "said", "it would act"),
    ])
    ministry, authority = source_of(art, "a3"), source_of(art, "a4")
    assert ministry.id not in (source_of(art, "a1").id, source_of(art, "a2").id)
    assert ministry.type == SourceType.government and not ministry.anonymous
    assert authority.id != source_of(art, "a1").id and authority.type == SourceType.government


def test_the_city_council_is_the_council_named_before_but_the_state_council_is_not():
    text = ("Greenhill council said the road would close. The city council said it would reopen in June. "
            "The state council said it had not been consulted.")
    art = enrich(text, [
        att(text, "a1", "Greenhill council", "said", "the road would close"),
        att(text, "a2", "The city council", "said", "it would reopen in June"),
        att(text, "a3", "The state council", "said", "it had not been consulted"),
    ])
    assert source_of(art, "a2").id == source_of(art, "a1").id
    assert source_of(art, "a3").id != source_of(art, "a1").id


def test_the_federation_is_the_one_named_not_the_last_organisation():
    text = ("The Northern Fishermen's Federation published a report. Marine Watch said the stock could collapse. "
            "The federation rejected that view.")
    art = enrich(text, [
        att(text, "a1", "Marine Watch", "said", "the stock could collapse"),
        att(text, "a2", "The federation", "rejected", "that view"),
    ])
    assert source_of(art, "a1").type == SourceType.organisation
    fed = source_of(art, "a2")
    assert fed.id != source_of(art, "a1").id and fed.name == "Northern Fishermen's Federation"


def test_the_company_still_refers_to_the_last_company():
    text = "Brennan Civil Works said it was ready. The firm declined to comment on the dispute."
    art = enrich(text, [
        att(text, "a1", "Brennan Civil Works", "said", "it was ready"),
        att(text, "a2", "The firm", "declined", "to comment on the dispute"),
    ])
    assert source_of(art, "a2").id == source_of(art, "a1").id


def test_documents_known_only_by_kind_are_not_named_sources():
    text = "Internal emails show the board knew. The Treasury said it did not."
    art = enrich(text, [
        att(text, "a1", "Internal emails", "show", "the board knew"),
        att(text, "a2", "The Treasury", "said", "it did not"),
    ])
    assert source_of(art, "a1").type == SourceType.document
    assert source_of(art, "a1").name == "internal emails"
    assert art.profile.named_sources == {"Treasury": 1}


def test_a_common_noun_does_not_resolve_to_a_person_through_their_role():
    text = ("Hans Weber, the director of the Institute for Coastal Research, said the sea was rising. "
            "The research said the trend was clear.")
    art = enrich(text, [
        att(text, "a1", "Hans Weber, the director of the Institute for Coastal Research", "said", "the sea was rising"),
        att(text, "a2", "The research", "said", "the trend was clear"),
    ])
    assert source_of(art, "a2").id != source_of(art, "a1").id


def test_a_title_still_finds_the_person_who_holds_it():
    text = "Mayor Helen Ward opened the bridge. The mayor said it was safe."
    art = enrich(text, [att(text, "a1", "The mayor", "said", "it was safe")])
    assert source_of(art, "a1").name == "Helen Ward"


def test_a_surname_in_capitals_is_the_person_named_in_full():
    text = "Governor Mike Pence spoke on Sunday. PENCE: We will win the state. PENCE said the race was close."
    art = enrich(text, [
        att(text, "a1", "PENCE", "said", "the race was close", near="PENCE said"),
    ])
    src = source_of(art, "a1")
    assert (src.type, src.name) == (SourceType.person, "Mike Pence")


def test_courtesy_titles_are_not_roles():
    text = "Mr. Obama said the trend was clear. Senator Marco Rubio disagreed."
    art = enrich(text, [
        att(text, "a1", "Mr. Obama", "said", "the trend was clear"),
        att(text, "a2", "Senator Marco Rubio", "disagreed", None),
    ])
    assert source_of(art, "a1").role is None
    assert source_of(art, "a2").role == "Senator"


def test_groups_of_people_are_not_an_organisation_but_a_named_group_is():
    text = ("Small groups of protesters said the curfew was unfair. A group of companies said it was needed. "
            "An industry group said trade had slowed.")
    art = enrich(text, [
        att(text, "a1", "Small groups of protesters", "said", "the curfew was unfair"),
        att(text, "a2", "A group of companies", "said", "it was needed"),
        att(text, "a3", "An industry group", "said", "trade had slowed"),
    ])
    assert source_of(art, "a1").type == SourceType.unknown
    assert source_of(art, "a2").type == SourceType.organisation  # companies together are still organisations
    assert source_of(art, "a3").type == SourceType.organisation


def test_an_apposed_role_keeps_its_comma_and_a_modifier_does_not():
    text = ("Dr. Leila Haddad, a toxicologist at Northfield University, said exposure was low. "
            "The Rev. Peter Wherry, of Mayfield Church, said the city was calm.")
    art = enrich(text, [
        att(text, "a1", "Dr. Leila Haddad, a toxicologist at Northfield University", "said", "exposure was low"),
        att(text, "a2", "The Rev. Peter Wherry, of Mayfield Church", "said", "the city was calm"),
    ])
    assert source_of(art, "a1").role == "Dr., a toxicologist at Northfield University"
    assert source_of(art, "a2").role == "Rev. of Mayfield Church"


def test_a_spokesperson_is_typed_by_the_body_they_speak_for():
    text = ("A spokeswoman for Brightwater Holdings said the recall was voluntary. "
            "A police spokesman said no one was hurt. "
            "A spokesman for the Interior Ministry said the curfew would end.")
    art = enrich(text, [
        att(text, "a1", "A spokeswoman for Brightwater Holdings", "said", "the recall was voluntary"),
        att(text, "a2", "A police spokesman", "said", "no one was hurt"),
        att(text, "a3", "A spokesman for the Interior Ministry", "said", "the curfew would end"),
    ])
    assert source_of(art, "a1").type == SourceType.organisation
    assert source_of(art, "a1").role == "a spokeswoman for Brightwater Holdings"
    assert source_of(art, "a2").type == SourceType.government
    assert source_of(art, "a3").type == SourceType.government


def test_state_media_are_the_press_not_the_state():
    text = "State media said the leader had toured the plant. Russian state television reported that the dam held."
    art = enrich(text, [
        att(text, "a1", "State media", "said", "the leader had toured the plant"),
        att(text, "a2", "Russian state television", "reported", "the dam held"),
    ])
    assert source_of(art, "a1").type == SourceType.media
    assert source_of(art, "a2").type == SourceType.media


def test_an_acronym_in_brackets_names_the_same_body():
    text = ("The Ministry of Emergency Situations (MES) said the dam was stable. The MES said crews would stay. "
            "The ministry said no one was hurt.")
    art = enrich(text, [
        att(text, "a1", "The Ministry of Emergency Situations (MES)", "said", "the dam was stable"),
        att(text, "a2", "The MES", "said", "crews would stay"),
        att(text, "a3", "The ministry", "said", "no one was hurt"),
    ])
    src = source_of(art, "a1")
    assert src.name == "Ministry of Emergency Situations" and src.type == SourceType.government
    assert source_of(art, "a2").id == src.id
    assert source_of(art, "a3").id == src.id


def test_a_name_after_a_title_and_a_comma_is_the_person():
    text = ("The mayor of Port Alder, Ines Moreau, said the flood defences had held. Moreau said more rain was coming. "
            "Supporters of the governor, Tom Reyes, said he was right.")
    art = enrich(text, [
        att(text, "a1", "The mayor of Port Alder, Ines Moreau", "said", "the flood defences had held"),
        att(text, "a2", "Moreau", "said", "more rain was coming"),
        att(text, "a3", "Supporters of the governor, Tom Reyes", "said", "he was right"),
    ])
    src = source_of(art, "a1")
    assert (src.name, src.type, src.role) == ("Ines Moreau", SourceType.person, "mayor of Port Alder")
    assert source_of(art, "a2").id == src.id
    assert source_of(art, "a3").name != "Tom Reyes"  # his supporters are not him


def test_lawyers_for_a_company_speak_for_an_organisation():
    text = "Lawyers for the company said the lawsuit had no merit."
    art = enrich(text, [att(text, "a1", "Lawyers for the company", "said", "the lawsuit had no merit")])
    assert source_of(art, "a1").type == SourceType.organisation


def test_a_name_the_tagger_missed_after_a_title_is_the_person():
    text = ("According to the agency's spokesman, Ivo Lind, the shipment had been seized. Lind said three men were held. "
            "The minister, Ana Ruiz, said cuts were needed. "
            "A spokesman for the firm, Acme Holdings, said the recall was voluntary.")
    art = enrich(text, [
        att(text, "a1", "the agency's spokesman", "According to", "the shipment had been seized"),
        att(text, "a2", "Lind", "said", "three men were held"),
        att(text, "a3", "The minister, Ana Ruiz", "said", "cuts were needed"),
        att(text, "a4", "A spokesman for the firm, Acme Holdings", "said", "the recall was voluntary"),
    ])
    lind = source_of(art, "a1")
    assert (lind.name, lind.type) == ("Ivo Lind", SourceType.person)
    assert source_of(art, "a2").id == lind.id
    ruiz = source_of(art, "a3")
    assert (ruiz.name, ruiz.type, ruiz.role) == ("Ana Ruiz", SourceType.person, "minister")
    assert source_of(art, "a4").type == SourceType.organisation  # a company's name is no person


def test_the_company_is_the_company_named_inside_an_earlier_mention():
    text = ("Acme Corp chief executive Lena Park said sales were up. The company said it would hire 500 workers. "
            "Officials at the Pentagon said the strike hit a depot.")
    art = enrich(text, [
        att(text, "a1", "Acme Corp chief executive Lena Park", "said", "sales were up"),
        att(text, "a2", "The company", "said", "it would hire 500 workers"),
    ])
    assert source_of(art, "a1").name == "Lena Park"
    src = source_of(art, "a2")
    assert (src.name, src.type) == ("Acme Corp", SourceType.organisation)


def test_the_company_with_no_company_named_stays_a_bare_nominal():
    text = "Officials at the Pentagon said the strike hit a depot. The company said it was not involved."
    art = enrich(text, [
        att(text, "a1", "Officials at the Pentagon", "said", "the strike hit a depot"),
        att(text, "a2", "The company", "said", "it was not involved"),
    ])
    assert source_of(art, "a2").name == "company"


def test_a_relative_clause_is_not_a_role():
    text = "Lena Park, who runs Brightwater Holdings, said sales were up."
    art = enrich(text, [att(text, "a1", "Lena Park, who runs Brightwater Holdings", "said", "sales were up")])
    src = source_of(art, "a1")
    assert src.name == "Lena Park" and src.role is None


def test_an_acronym_and_its_full_name_are_one_body():
    text = ("The WHO said cases were rising. The World Health Organization said vaccines were effective. "
            "The Israel Defense Forces said it struck targets. The IDF said 12 militants were killed. "
            "Tom Reyes said the plan was fine.")
    art = enrich(text, [
        att(text, "a1", "The WHO", "said", "cases were rising"),
        att(text, "a2", "The World Health Organization", "said", "vaccines were effective"),
        att(text, "a3", "The Israel Defense Forces", "said", "it struck targets"),
        att(text, "a4", "The IDF", "said", "12 militants were killed"),
        att(text, "a5", "Tom Reyes", "said", "the plan was fine"),
    ])
    who = source_of(art, "a1")
    assert source_of(art, "a2").id == who.id and who.name == "World Health Organization"
    assert source_of(art, "a4").id == source_of(art, "a3").id
    assert source_of(art, "a5").id not in (who.id, source_of(art, "a3").id)


def test_the_agency_is_the_body_called_an_agency_before_an_outlet_spoken_to():
    text = ("The International Atomic Energy Agency told Reuters that the reactor was stable. "
            "The agency said inspectors would return.")
    art = enrich(text, [
        att(text, "a1", "The International Atomic Energy Agency", "told", "the reactor was stable"),
        att(text, "a2", "The agency", "said", "inspectors would return"),
    ])
    assert source_of(art, "a2").name == "International Atomic Energy Agency"


def test_the_agency_after_a_news_agency_alone_is_the_news_agency():
    text = "Reuters reported that the reactor was stable. The agency said inspectors would return."
    art = enrich(text, [
        att(text, "a1", "Reuters", "reported", "the reactor was stable"),
        att(text, "a2", "The agency", "said", "inspectors would return"),
    ])
    assert source_of(art, "a2").id == source_of(art, "a1").id


def test_unnamed_lawmakers_speak_for_the_state_and_a_named_senator_stays_a_person():
    text = "Several lawmakers said they opposed the bill. Senator Paul Hurst said it was dead. The senator added that talks would go on."
    art = enrich(text, [
        att(text, "a1", "Several lawmakers", "said", "they opposed the bill"),
        att(text, "a2", "Senator Paul Hurst", "said", "it was dead"),
        att(text, "a3", "The senator", "added", "talks would go on"),
    ])
    assert source_of(art, "a1").type == SourceType.government
    hurst = source_of(art, "a2")
    assert hurst.type == SourceType.person and source_of(art, "a3").id == hurst.id


def test_a_document_is_typed_by_the_body_that_issued_it_not_the_one_it_is_about():
    text = ("According to a statement from Brightwater Holdings, output fell by 12 percent. "
            "A report on Kestrel Mining Group said costs rose.")
    art = enrich(text, [
        att(text, "a1", "a statement from Brightwater Holdings", "According to", "output fell by 12 percent"),
        att(text, "a2", "A report on Kestrel Mining Group", "said", "costs rose"),
    ])
    assert source_of(art, "a1").type == SourceType.organisation
    assert source_of(art, "a2").type == SourceType.document


def test_she_skips_a_person_whose_title_says_he():
    text = ("Company spokeswoman Lena Park said sales rose. Chairman Tom Reyes said costs fell. "
            "She added that hiring would continue. He said prices would hold.")
    art = enrich(text, [
        att(text, "a1", "Company spokeswoman Lena Park", "said", "sales rose"),
        att(text, "a2", "Chairman Tom Reyes", "said", "costs fell"),
        att(text, "a3", "She", "added", "hiring would continue"),
        att(text, "a4", "He", "said", "prices would hold"),
    ])
    assert source_of(art, "a3").id == source_of(art, "a1").id
    assert source_of(art, "a4").id == source_of(art, "a2").id


# issue #13: names and types as other outlets write them


def test_unresolved_description_is_a_person_without_its_clauses():
    text = "The longtime shop owner said business had never been worse. A crossing guard who works the corner said drivers speed."
    art = enrich(text, [
        att(text, "a1", "The longtime shop owner", "said", "business had never been worse"),
        att(text, "a2", "A crossing guard who works the corner", "said", "drivers speed"),
    ])
    owner, guard = source_of(art, "a1"), source_of(art, "a2")
    assert (owner.name, owner.type) == ("longtime shop owner", SourceType.person)
    assert (guard.name, guard.type) == ("crossing guard", SourceType.person)


def test_plural_description_stays_an_unnamed_group():
    text = "Critics said the law was rushed."
    art = enrich(text, [att(text, "a1", "Critics", "said", "the law was rushed")])
    assert source_of(art, "a1").type == SourceType.unknown


def test_titles_and_trades_are_not_part_of_a_name():
    text = ("Councillor Abe Lin spoke first. Lin said the vote would be delayed. "
            "Cricketer Ravi Menon said he was retiring. Lt. Col. Marta Ilves said the shelling had stopped.")
    art = enrich(text, [
        att(text, "a1", "Lin", "said", "the vote would be delayed", near="Lin said"),
        att(text, "a2", "Cricketer Ravi Menon", "said", "he was retiring"),
        att(text, "a3", "Lt. Col. Marta Ilves", "said", "the shelling had stopped"),
    ])
    assert [source_of(art, a).name for a in ("a1", "a2", "a3")] == ["Abe Lin", "Ravi Menon", "Marta Ilves"]


def test_a_name_after_a_description_is_the_person():
    text = '"I just want the roads fixed," said retired nurse Agnes Byrne.'
    art = enrich(text, [att(text, "a1", "retired nurse Agnes Byrne", "said", "I just want the roads fixed")])
    assert source_of(art, "a1").name == "Agnes Byrne"


def test_first_name_resolves_to_the_full_name_given_earlier():
    text = "Reality star Chantelle Voss hit back at trolls. Chantelle told the Flare she was staying."
    art = enrich(text, [att(text, "a1", "Chantelle", "told", "she was staying", near="Chantelle told")])
    assert source_of(art, "a1").name == "Chantelle Voss"


def test_dateline_and_time_stamp_are_not_part_of_the_source():
    text = "OSTBURG (Northwire) - The minister said the tunnel would open late.\n09:12 Army says it has retaken the bridge.\n"
    art = enrich(text, [
        att(text, "a1", "OSTBURG (Northwire) - The minister", "said", "the tunnel would open late"),
        att(text, "a2", "09:12 Army", "says", "it has retaken the bridge"),
    ])
    assert source_of(art, "a1").name == "minister"
    assert source_of(art, "a2").name == "Army"


def test_a_name_with_a_who_clause_is_a_person_a_pronoun_can_find():
    # the small model tags "Halvorsen" ORG or nothing; "who" says a person
    text = ('Halvorsen, who has run the observatory for thirty years, is not sentimental about the move. '
            '"Telescopes are tools, not shrines," she told me over coffee.')
    art = enrich(text, [att(text, "a1", "she", "told", '"Telescopes are tools, not shrines,"')])
    src = source_of(art, "a1")
    assert (src.name, src.type) == ("Halvorsen", SourceType.person)
    art = enrich(text, [att(text, "a1", "Halvorsen, who has run the observatory for thirty years", "is not sentimental about", "the move")])
    assert (source_of(art, "a1").name, source_of(art, "a1").type) == ("Halvorsen", SourceType.person)


def test_a_company_with_a_which_clause_stays_a_company():
    text = "Brennan Civil Works, which built the bridge, said it would appeal."
    art = enrich(text, [att(text, "a1", "Brennan Civil Works, which built the bridge", "said", "it would appeal")])
    assert source_of(art, "a1").type == SourceType.organisation


def test_a_capitalised_speaker_label_gives_the_whole_name_without_the_title():
    # the small model finds "FROST" alone in a transcript's label
    text = "ANCHOR: Good evening.\nMAYOR DELIA FROST: We have moved four hundred families out of the lowest streets."
    art = enrich(text, [att(text, "a1", "MAYOR DELIA FROST", ":", "We have moved four hundred families out of the lowest streets")])
    assert (source_of(art, "a1").name, source_of(art, "a1").type) == ("Delia Frost", SourceType.person)


def test_a_name_after_a_description_of_the_person_whatever_its_tag():
    # the small model tags "Agnes" NORP here
    text = 'A final word from one voter outside the polling station: "I just want the roads fixed." — retired nurse Agnes Byrne'
    art = enrich(text, [att(text, "a1", "retired nurse Agnes Byrne", "—", '"I just want the roads fixed."')])
    assert (source_of(art, "a1").name, source_of(art, "a1").type) == ("Agnes Byrne", SourceType.person)


def test_a_body_named_after_what_it_is_goes_by_its_name():
    text = "Two more ships have been hit near the strait, reported the maritime security agency Norsec."
    art = enrich(text, [att(text, "a1", "the maritime security agency Norsec", "reported", "Two more ships have been hit near the strait")])
    src = source_of(art, "a1")
    assert (src.name, src.type, src.role) == ("Norsec", SourceType.organisation, "maritime security agency")


def test_an_honorific_makes_a_person_of_a_name_tagged_as_a_company():
    # British and Australian style: "Mr" without a full stop; the small model tags "Minns" ORG here
    text = ("NSW Premier Chris Minns said the state would not be bullied into a deal.\n\n"
            "Mr Minns said he had spoken with the Prime Minister on Thursday night.")
    art = enrich(text, [
        att(text, "a1", "Chris Minns", "said", "the state would not be bullied into a deal"),
        att(text, "a2", "Mr Minns", "said", "he had spoken with the Prime Minister on Thursday night"),
    ])
    assert source_of(art, "a2").id == source_of(art, "a1").id
    assert (source_of(art, "a2").name, source_of(art, "a2").type) == ("Chris Minns", SourceType.person)


def test_an_anonymous_source_is_named_without_the_reason_it_gives():
    text = "A longtime ferry captain, who asked not to be named, said the crossing had been unsafe for years."
    art = enrich(text, [att(text, "a1", "A longtime ferry captain, who asked not to be named", "said", "the crossing had been unsafe for years")])
    src = source_of(art, "a1")
    assert (src.name, src.type) == ("a longtime ferry captain", SourceType.anonymous)


def test_an_outlet_named_after_its_kind_goes_by_its_name_and_a_kind_in_the_name_stays():
    text = "Talks will resume, the state news agency IRNA reported. The Daily Flare reported the same."
    art = enrich(text, [
        att(text, "a1", "the state news agency IRNA", "reported", "Talks will resume"),
        att(text, "a2", "The Daily Flare", "reported", "the same"),
    ])
    assert (source_of(art, "a1").name, source_of(art, "a1").type) == ("IRNA", SourceType.media)
    assert source_of(art, "a2").name == "Daily Flare"


def test_a_place_after_a_person_word_is_no_name_and_a_broadcaster_with_a_name_is_a_person():
    text = "A woman from South Africa said the border was closed. The veteran broadcaster David Dimbleby said it was close."
    art = enrich(text, [
        att(text, "a1", "A woman from South Africa", "said", "the border was closed"),
        att(text, "a2", "The veteran broadcaster David Dimbleby", "said", "it was close"),
    ])
    assert source_of(art, "a1").name != "South Africa" and source_of(art, "a1").type == SourceType.person
    assert (source_of(art, "a2").name, source_of(art, "a2").type) == ("David Dimbleby", SourceType.person)


def test_a_company_with_a_whose_clause_is_no_person_a_pronoun_finds():
    text = "Anna Lee met executives from Tesla, whose shares fell this week. She said the talks went well."
    art = enrich(text, [att(text, "a1", "She", "said", "the talks went well")])
    assert source_of(art, "a1").name == "Anna Lee"


def test_a_state_agency_is_no_news_agency():
    text = ("A spokesperson for the Canada Revenue Agency said the agency was reviewing the situation. "
            "The Xinhua News Agency reported the talks had ended.")
    art = enrich(text, [
        att(text, "a1", "A spokesperson for the Canada Revenue Agency", "said", "the agency was reviewing the situation"),
        att(text, "a2", "The Xinhua News Agency", "reported", "the talks had ended"),
    ])
    assert source_of(art, "a1").type != SourceType.media
    assert source_of(art, "a2").type == SourceType.media
