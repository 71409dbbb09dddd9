"""Word lists the claim stage reads as data: outlets, state words, anonymity, hedges.

Kept apart from the code so that an editor can extend them without touching
logic. Entries are lower case; multi-word entries are matched token by token.
"""

from __future__ import annotations

# Media outlets: canonical name -> aliases (lower case). Any ORG whose last word
# is in MEDIA_TAILS ("... Times", "... Post") is treated as media too.
MEDIA_OUTLETS: dict[str, tuple[str, ...]] = {
    "New York Times": ("new york times", "nyt", "ny times", "the times"),
    "Washington Post": ("washington post", "wapo", "the post"),
    "Wall Street Journal": ("wall street journal", "wsj", "the journal"),
    "Financial Times": ("financial times", "ft"),
    "Associated Press": ("associated press", "ap"),
    "Reuters": ("reuters",),
    "Agence France-Presse": ("agence france-presse", "afp"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "BBC": ("bbc", "bbc news"),
    "CNN": ("cnn",),
    "NBC News": ("nbc", "nbc news"),
    "CBS News": ("cbs", "cbs news"),
    "ABC News": ("abc", "abc news"),
    "Fox News": ("fox news", "fox"),
    "NPR": ("npr",),
    "Politico": ("politico",),
    "Axios": ("axios",),
    "The Guardian": ("guardian", "the guardian"),
    "The Economist": ("economist", "the economist"),
    "Der Spiegel": ("der spiegel", "spiegel"),
    "Le Monde": ("le monde",),
    "Al Jazeera": ("al jazeera",),
    "TASS": ("tass",),
    "RIA Novosti": ("ria novosti", "ria"),
    "Interfax": ("interfax",),
    "Sputnik": ("sputnik",),
    "RT": ("rt",),
    "Xinhua": ("xinhua",),
    "Kyiv Independent": ("kyiv independent",),
    "Ukrainska Pravda": ("ukrainska pravda",),
    "Kommersant": ("kommersant",),
    "Izvestia": ("izvestia",),
    "The Telegraph": ("telegraph", "the telegraph"),
    "The Times": ("the times of london",),
    "Daily Mail": ("daily mail",),
    "The Hill": ("the hill",),
    "Newsweek": ("newsweek",),
    "Time": ("time magazine",),
    "The Atlantic": ("the atlantic",),
    "The New Yorker": ("new yorker", "the new yorker"),
}
MEDIA_TAILS = frozenset(
    "times post journal news gazette herald tribune telegraph guardian observer chronicle "
    "independent express mirror sun star daily weekly magazine review agency wire radio tv television "
    "network broadcaster channel ledger courier examiner inquirer enquirer dispatch sentinel bulletin "
    "gleaner courant argus mercury advertiser clarion standard globe mail press register monitor "
    "reporter leader today".split()
)
# Lowercase words for a kind of outlet, before its name: "the state news agency IRNA", "public broadcaster NHK".
PRESS_KINDS = frozenset({"agency", "broadcaster", "newspaper", "daily", "tabloid", "channel", "network", "outlet", "website"})
# "Agency" names an outlet only after these: "Xinhua News Agency", not "the Canada Revenue Agency".
NEWS_AGENCY_WORDS = frozenset({"news", "press"})
# Last words that make a proper name a newspaper even when the tagger calls it a person
# ("The Alder Gazette"): the unambiguous subset of MEDIA_TAILS ("Star", "Sun", "Leader" can be people).
MEDIA_NAME_HEADS = frozenset(
    "times post journal gazette herald tribune telegraph guardian chronicle ledger courier examiner "
    "inquirer enquirer dispatch sentinel gleaner courant argus advertiser clarion globe news daily "
    "weekly magazine".split()
)
# Of those, the ones that are also surnames or given names: a newspaper only as "The ... Post".
SURNAME_LIKE_MEDIA_HEADS = frozenset("post globe courier examiner dispatch sentinel argus daily weekly guardian".split())
# Last words (or suffixes) of company and organisation names ("Brennan Civil Works", "Acme Ltd",
# "Human Rights Watch"): a name ending so is not a person, whatever the tagger says.
ORG_NAME_HEADS = frozenset(
    "works inc inc. incorporated ltd ltd. limited llc llp plc corp corp. corporation co co. company "
    "companies group holdings partners partnership bank bancorp industries associates enterprises "
    "systems technologies technology labs laboratories capital ventures motors airlines airways "
    "energy pharmaceuticals pharma foundation institute institution trust fund society association "
    "federation union alliance coalition watch international university college academy council "
    "committee commission agency authority board consortium cooperative co-op brands solutions "
    "services logistics construction engineering contractors builders mining oil gas petroleum "
    "insurance securities investments gmbh".split()
)
# Nouns that refer back to a media outlet ("the outlet said").
MEDIA_NOUNS = frozenset(
    "outlet newspaper paper daily broadcaster network channel publication tabloid magazine agency "
    "website site newsroom report".split()
) - {"report", "agency"}
# Heads that make an unnamed source the press ("state media", "Russian state television").
MEDIA_COLLECTIVE_NOUNS = frozenset(
    "media press television tv radio broadcaster broadcasters outlet outlets newspaper newspapers "
    "tabloid tabloids newswire".split()
)
# Nominals that may refer back to either a news agency or a state agency ("the agency said").
AMBIGUOUS_AGENCY_NOUNS = frozenset({"agency"})

# Words that make a source a state actor.
GOVERNMENT_WORDS = frozenset(
    "government ministry minister president premier chancellor kremlin pentagon parliament congress senate "
    "military army navy marines forces force command commander general admiral defense defence "
    "intelligence directorate embassy ambassador administration cabinet authorities authority police "
    "spokesman spokeswoman spokesperson governor mayor state department secretary council councillor councilor "
    "prosecutor prosecutors court judge ministry's government's white house downing street élysée elysee "
    "staff headquarters office treasury mod fbi cia nsa kgb fsb gur sbu nato un".split()
) | frozenset(  # members of a legislature speak for the state too ("several lawmakers said")
    "lawmaker lawmakers legislator legislators senator senators congressman congresswoman congressmen "
    "congresswomen mp mps".split()
)
# Nouns that refer back to an organisation ("the company said").
ORG_NOUNS = frozenset(
    "company firm group organisation organization institute charity union party tank association foundation "
    "corporation bank insurer airline manufacturer operator developer retailer producer lab laboratory "
    "university campaign coalition alliance club federation league nonprofit ngo contractor "
    "supplier utility consortium conglomerate business carmaker automaker lender".split()
)
# Organisation nouns that mean a business: "the company" is the company the text named last.
COMPANY_NOUNS = frozenset(
    "company firm corporation business group carmaker automaker retailer manufacturer insurer airline "
    "bank lender operator developer supplier conglomerate".split()
)
# Organisation nouns that also name a mere gathering ("groups of protesters", "a coalition of residents").
COLLECTIVE_NOUNS = frozenset("group groups coalition alliance band crowd".split())
# Modifiers that tell a reader which level of state, not which body: "the city council" and
# "Port Alder council" are one council, "the state council" and "the city council" are two.
GENERIC_STATE_MODIFIERS = frozenset(
    "city town municipal local state federal national county regional provincial district "
    "central".split()
)
# Document-like heads: reports, estimates, polls ...
DOCUMENT_NOUNS = frozenset(
    "report reports estimate estimates statement statements study studies survey surveys poll polls "
    "filing filings document documents memo memos analysis analyses data figures assessment assessments "
    "letter letters review audit records census release communique communiqué transcript leak leaks "
    "cable cables indictment lawsuit complaint ruling order decree bulletin briefing dossier "
    "investigation inquiry tweet tweets email emails video footage article book filing chart map".split()
)
# Heads that, with no name attached, make a source anonymous.
ANONYMOUS_HEADS = frozenset(
    "official officials source sources insider insiders diplomat diplomats aide aides person people "
    "individual individuals someone spokesperson representative representatives staffer staffers "
    "figure figures member members officer officers".split()
)
ANONYMOUS_PHRASES = (
    "anonymous",
    "unnamed",
    "unidentified",
    "familiar with",
    "on condition of anonymity",
    "who asked not to be named",
    "who declined to be named",
    "speaking on condition",
    "close to",
    "with knowledge of",
    "briefed on",
)

# Nouns that name a title or role ("the head of ...", "a spokeswoman for ...").
ROLE_NOUNS = frozenset(
    "head chief director leader founder ceo chairman chairwoman chair spokesman spokeswoman spokesperson "
    "minister secretary president vice-president commander general analyst professor expert researcher "
    "ambassador envoy governor mayor adviser advisor official editor correspondent lawyer attorney economist "
    "scientist member deputy manager owner author premier chancellor senator representative lawmaker legislator mp "
    "prosecutor judge officer colonel captain lieutenant spokesperson negotiator aide councillor councilor "
    "alderman alderwoman councilman councilwoman commissioner sheriff".split()
)

# Person epithets a definite description uses for someone named before ("the Florida senator").
EPITHET_NOUNS = frozenset(
    "senator congressman congresswoman lawmaker republican democrat candidate nominee frontrunner "
    "businessman businesswoman billionaire tycoon magnate mogul actor actress singer star veteran activist "
    "politician incumbent challenger contender host presenter comedian rapper player coach striker "
    "father mother son daughter wife husband widow man woman boy girl teenager".split()
) | ROLE_NOUNS

# People known only by what they are or do ("a longtime customer", "one parent", "the night watchman"):
# a description nobody named stays a person (issue #13). Words ending in -man/-woman/-person count too.
PERSON_NOUNS = frozenset(
    "resident residents neighbour neighbor neighbours neighbors parent parents friend pal fan fans voter voters "
    "customer customers shopper passenger passengers driver nurse doctor teacher student pupil farmer worker "
    "workers employee employees guard volunteer witness survivor victim patient publican shopkeeper landlord "
    "landlady tenant homeowner grandmother grandfather grandparent mum dad local locals villager commuter critic "
    "user reader viewer listener caller protester demonstrator supporter opponent colleague relative sister "
    "brother retiree pensioner worshipper priest pastor vicar imam rabbi chef guide insider diner fisher "
    "cricketer footballer athlete winger goalkeeper defender midfielder boxer golfer jockey swimmer runner "
    "musician artist writer novelist poet painter composer curator historian designer architect engineer "
    "builder contractor mechanic electrician plumber farmer rancher miner baker butcher owner operator "
    "entrepreneur investor trader banker candidate contestant judge judges presenter host".split()
) | EPITHET_NOUNS

# Titles and ranks written before a name and never part of it ("Lt. Col. Marta Ilves", "Cllr Griffiths").
NAME_TITLES = frozenset(
    "mr mrs ms mx miss dr prof sir dame lord lady rev fr sr lt col gen maj capt cpl sgt adm cmdr insp supt det "
    "cllr coun sen rep gov pres hon".split()
)

# "proceeding according to the treaty" means "in accordance with": norms are not speakers.
NORM_NOUNS = frozenset(
    "treaty agreement accord plan law laws rule rules schedule timetable procedure procedures protocol "
    "protocols guideline guidelines contract constitution regulation regulations script principle principles "
    "tradition custom doctrine formula pattern programme program design instructions order orders".split()
)

PRONOUNS = {
    "he": "person",
    "she": "person",
    "him": "person",
    "her": "person",
    "it": "thing",
    "they": "group",
    "them": "group",
    "we": "group",
}

# Words that tell a person's gender, for "he"/"she" ("Ms Ruiz", "the spokeswoman").
FEMALE_WORDS = frozenset(
    "she her ms mrs miss madam mme spokeswoman chairwoman congresswoman businesswoman councilwoman alderwoman "
    "actress queen princess duchess countess widow mother daughter wife sister woman girl grandmother "
    "aunt niece lady dame".split()
)
MALE_WORDS = frozenset(
    "he him his mr sir spokesman chairman congressman businessman councilman alderman king prince duke count "
    "widower father son husband brother man boy grandfather uncle nephew lord".split()
)

# Cue verbs (lemmas) that hand a claim on from one source to another.
HAND_ON_CUES = frozenset({"cite", "quote", "source"})

# ---- certainty ----------------------------------------------------------------
# Phrases (lower-case token sequences) and the certainty they signal.
HEDGE_PHRASES = (
    "reportedly",
    "allegedly",
    "apparently",
    "purportedly",
    "supposedly",
    "seemingly",
    "ostensibly",
    "alleged",
    "purported",
    "so-called",
    "unconfirmed",
    "unverified",
    "it is understood",
    "is understood to",
    "are understood to",
    "is said to",
    "are said to",
    "is believed to",
    "are believed to",
    "is thought to",
    "are thought to",
    "is reported to",
    "are reported to",
    "it is reported",
    "it is believed",
    "it is thought",
    "it was thought",
    "it was believed",
    "it was understood",
    "it is said",
    "it was said",
    "it is alleged",
    "it was alleged",
    "it is claimed",
    "it is feared",
    "it was feared",
    "it is suspected",
    "likely",
    "probably",
    "appears to",
    "appeared to",
    "seems to",
    "seemed to",
    "unclear",
    "not clear",
    "could not be verified",
    "could not be independently verified",
    "has not been confirmed",
    "have not been confirmed",
    "not been independently verified",
    "not independently verified",
    "could not confirm",
    "could not independently confirm",
    "could not verify",
    "could not independently verify",
    "could not be confirmed",
    "could not be independently confirmed",
    "cannot confirm",
    "cannot verify",
    "cannot independently verify",
    "unable to confirm",
    "unable to verify",
    "unable to independently verify",
    "unable to independently confirm",
    "not able to confirm",
    "not able to verify",
    "not been able to confirm",
    "not been able to verify",
    "not been able to independently verify",
    "not immediately clear",
    "not immediately known",
    "no immediate confirmation",
    "too early to say",
    "too early to tell",
    "remains to be seen",
    "remained to be seen",
    "would not say",
    "would not confirm",
    "would not comment",
    "declined to say",
    "did not say",
)
CONDITIONAL_PHRASES = (
    "if true",
    "if confirmed",
    "if accurate",
    "if so",
    "possibly",
    "perhaps",
    "maybe",
    "potentially",
    "is possible",
    "are possible",
    "was possible",
    "were possible",
    "it is possible",
    "it was possible",
)
DENIED_PHRASES = (
    "neither confirmed nor denied",
    "neither confirm nor deny",
    "declined to confirm",
    "refused to confirm",
    "disputed",
    "contested",
    "no truth",
    "not true",
    "untrue",
    "is false",
    "are false",
    "was false",
    "were false",
    "baseless",
    "unfounded",
    "groundless",
    "without foundation",
    "no evidence",
)
PREDICTED_PHRASES = (
    "is expected to",
    "are expected to",
    "is set to",
    "are set to",
    "is due to",
    "are due to",
    "is poised to",
    "are poised to",
    "is likely to",
    "are likely to",
    "was likely to",
    "were likely to",
    "was set to",
    "were set to",
    "was due to",
    "were due to",
    "was poised to",
    "were poised to",
    "plans to",
    "plan to",
    "is going to",
    "are going to",
    "intends to",
    "intend to",
    "aims to",
    "aim to",
    "is scheduled to",
    "are scheduled to",
    "was scheduled to",
    "were scheduled to",
    "is planning to",
    "are planning to",
    "was expected to",
    "were expected to",
    "is on track to",
    "are on track to",
    "is certain to",
    "are certain to",
    "was certain to",
    "were certain to",
    "almost certain to",
    "hopes to",
    "hope to",
    "hoped to",
)
# Modal verbs (tag MD), by certainty.
CONDITIONAL_MODALS = frozenset({"could", "might", "may", "would"})
PREDICTED_MODALS = frozenset({"will", "shall", "'ll"})
# Cue-verb lemmas: distancing (the reporter keeps away from the claim) vs denial vs prediction.
DISTANCING_CUES = frozenset(
    {"claim", "allege", "insist", "maintain", "contend", "purport", "profess"}
)
DENIAL_CUES = frozenset({"deny", "reject", "dispute", "contest", "refute", "dismiss", "rebut", "disavow"})
PREDICTION_CUES = frozenset({"predict", "forecast", "expect", "project", "anticipate", "vow", "pledge", "promise"})
# Verbs of warning: "officials warned that prices would rise" reports a prediction.
WARNING_CUES = frozenset({"warn", "caution", "fear", "believe", "think", "estimate", "signal", "hint", "indicate"})
# Words that set a condition in a sentence; "would" there is conditional, not reported "will".
CONDITION_WORDS = frozenset({"if", "unless", "otherwise", "provided", "whether", "lest"})
# Words after "would" that make it a wish ("would like to", "would rather").
VOLITION_AFTER_WOULD = frozenset({"like", "love", "prefer", "rather", "sooner", "welcome", "hate"})
# Adverbs that make "would" a past habit ("he would often call").
HABIT_ADVERBS = frozenset({"often", "usually", "always", "sometimes", "regularly", "frequently", "routinely", "occasionally", "never", "typically"})
NEUTRAL_CUES = frozenset(
    {"say", "state", "tell", "report", "announce", "add", "note", "write", "according", "explain", "confirm"}
)

# ---- quantities ---------------------------------------------------------------
QUALIFIERS = (
    "more than",
    "over",
    "at least",
    "up to",
    "around",
    "about",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "some",
    "fewer than",
    "less than",
    "under",
    "as many as",
    "as much as",
    "at most",
    "just over",
    "just under",
    "close to",
    "an estimated",
    "estimated",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no more than",
    "below",
    "above",
    "exactly",
)
UNITS = frozenset(
    "kg kgs kilogram kilograms g gram grams t ton tons tonne tonnes lb lbs pound pounds oz "
    "km kms kilometer kilometers kilometre kilometres m meter meters metre metres cm mm mi mile miles "
    "ft foot feet yard yards inch inches nm nautical "
    "km/h kph mph knots % percent per cent percentage points "
    "l liter liters litre litres gallon gallons barrel barrels bpd "
    "mw gw kw kwh mwh w watts volts hectare hectares acre acres "
    "second seconds minute minutes hour hours day days week weeks month months year years decade decades "
    "dollar dollars euro euros pound sterling rouble roubles ruble rubles yuan yen hryvnia hryvnias "
    "usd eur gbp rub uah bn mn".split()
)
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₴": "UAH"}
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# Shares written as words ("a third of", "two-thirds of"): word -> denominator.
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
    "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10,
}
MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
               "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "mn": 1_000_000, "m": 1_000_000, "k": 1_000}
