"""The words that tell what kind of speaker a mention is: a person by role or by
noun, a group, an organisation, a news outlet or a document, and the small words
around a name or a description. Read by the speaker layer (speakers.py) and the
engine; lower case throughout."""

from __future__ import annotations


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Head nouns that denote a person by role ("the chief", "the minister").
ROLE_NOUNS = frozenset(
    [
        "chief",
        "head",
        "president",
        "secretary",
        "minister",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "leader",
        "chancellor",
        "premier",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "general",
        "commander",
        "ambassador",
        "envoy",
        "official",
        "governor",
        "senator",
        "mayor",
        "candidate",
        "nominee",
        "representative",
        "congressman",
        "congresswoman",
        "diplomat",
        "prosecutor",
        "judge",
        "ceo",
        "founder",
        "manager",
        "coach",
        "king",
        "queen",
        "prince",
        "pope",
        # Titles that stand before a name in local and public life ("Councillor Ines Alvarez").
        "councillor",
        "councilor",
        "councilman",
        "councilwoman",
        "alderman",
        "assemblyman",
        "assemblywoman",
        "commissioner",
        "sheriff",
        "superintendent",
        "comptroller",
        "treasurer",
        "inspector",
        "detective",
        "trustee",
        "dean",
        "rabbi",
        "bishop",
        "pastor",
    ]
)

# Words that qualify a role noun ("Secretary-General", "vice president", "deputy chief").
TITLE_WORDS = frozenset(
    ["vice", "deputy", "assistant", "acting", "former", "senior", "chief", "press", "foreign"]
)

# Abbreviated titles that may open a PERSON entity ("Gov Fallin", "Sen. Cruz"): not first names.
TITLE_ABBREVIATIONS = _word_set("gov sen rep gen lt col sgt capt cmdr adm dr prof rev atty amb pres gop ag")

# Common nouns that denote people or groups of people, and organisations: these can speak.
PEOPLE_NOUNS = _word_set(
    """people person man men woman women voter voters official officials aide aides ally allies
    adviser advisers
    advisor advisors supporter supporters critic critics expert experts analyst analysts source sources
    member members staff staffer staffers lawmaker lawmakers legislator legislators politician politicians
    strategist strategists activist activists advocate advocates opponent opponents rival rivals donor donors
    delegate delegates insider insiders observer observers executive executives economist economists
    pollster pollsters reporter reporters journalist journalists lawyer lawyers attorney attorneys
    friend friends resident residents student students worker workers employee employees leader leaders
    host anchor author writer columnist commentator historian scientist researcher researchers professor
    doctor officer officers police authorities investigators agent agents crowd audience public
    republicans democrats conservatives liberals progressives evangelicals immigrants veteran veterans parents
    campaign campaigns administration government agency group groups company companies firm team party
    parties committee board office court council department ministry union organization organisation
    newspaper network networks media establishment camp leadership community coalition caucus
    senate congress house embassy kremlin military army spokesperson surrogate surrogates owner owners
    father mother son daughter wife husband brother sister family victim victims witness witnesses
    producer organizer organizers speaker founder teacher farmer member neighbor neighbour
    businessman businesswoman candidate candidates nominee nominees someone somebody everyone anyone others
    """
)

PEOPLE_SUFFIXES = (
    *("ist", "ists", "ian", "ians", "man", "men", "woman", "women", "person", "eer", "eers", "ers"),
)

# Plurals in "-ers" that are things, not people who do something ("marchers", "voters").
THING_PLURALS = _word_set(
    "numbers letters papers matters orders headquarters centers powers filters chapters layers answers"
    " offers murders borders quarters"
)

QUANTITY_WORDS = _word_set(
    "percent majority minority half third quarter most many some few several both all none each"
    " either neither"
)

# Nouns for a person that tell their gender, for a description that refers back ("the actress").
FEMALE_NOUNS = _word_set(
    "woman actress spokeswoman chairwoman congresswoman businesswoman wife mother daughter sister"
    " queen grandmother girl lady widow"
)

MALE_NOUNS = _word_set(
    "man actor spokesman chairman congressman businessman husband father son brother king"
    " grandfather boy widower"
)

# Family members: "Clinton's husband, Bill" is Bill Clinton, "her father, Brad" her surname's.
KIN_NOUNS = _word_set(
    "husband wife widow widower son daughter father mother brother sister grandson granddaughter"
    " grandfather grandmother stepson stepdaughter stepfather stepmother"
)

NOUN_GENDERS = {**dict.fromkeys(FEMALE_NOUNS, "f"), **dict.fromkeys(MALE_NOUNS, "m")}

# How a description opens tells whether it refers back to someone named ("the agency") or
# introduces someone new ("a spokeswoman", "two councillors"), who must never take a name.
DEFINITE_WORDS = _word_set("the this that these those")

# Nouns that say only "someone" ("the man", "that person"): they refer back to whoever the text
# introduced last, whatever noun introduced them ("a source close to him … That person said").
GENERIC_PERSON_NOUNS = _word_set("person man woman individual gentleman lady guy")

INDEFINITE_WORDS = _word_set(
    "a an another one some any several many few various numerous two three four five"
)

# Phrases after the head that belong to a description: "a spokesperson for the ministry".
DESCRIPTION_PREPS = _word_set("of for from at in with on by inside within among near")

# Heads that describe an organisation rather than a person: "the agency", "the committee".
ORGANISATION_NOUNS = _word_set(
    """agency company firm committee board office court council department ministry union organization
    organisation newspaper paper newsletter magazine network party association federation foundation
    institute commission bureau administration government embassy campaign group coalition caucus team
    club league alliance authority service center centre university college school hospital bank fund
    society outlet publication broadcaster channel tabloid"""
)

# Last words of a place's or a picture agency's name, never a person's, whatever the tagger
# says ("Hermenegildo Galeana Street", a credit line's "Getty Images"); words that are also
# surnames (Park, Hall, Lane, Tower) are left out.
NON_PERSON_ENDINGS = _word_set(
    """street avenue road boulevard highway square plaza bridge airport station stadium arena
    cathedral mosque county river island valley images photos pictures"""
)

# Heads that describe a news outlet ("the newspaper", "the network"), and the words that
# mark an organisation's name as an outlet's ("The Washington Post", "Fox News", "CNN").
# Broadcasters and wire services are never "the newspaper".
PRINT_NOUNS = _word_set("newspaper tabloid daily")

OUTLET_NOUNS = PRINT_NOUNS | _word_set("outlet publication broadcaster network channel magazine")

UNPRINTED_PRESS = _word_set(
    "reuters associated ap afp cnn msnbc cnbc nbc abc cbs bbc npr pbs fox radio television tv broadcasting"
    " bloomberg politico axios breitbart huffpost"
)

PRESS_WORDS = UNPRINTED_PRESS | _word_set(
    """news times post journal herald tribune gazette magazine daily press examiner telegraph guardian
    chronicle observer sentinel courier inquirer dispatch globe review mirror blaze"""
)

ISSUING_VERBS = _word_set("issue release publish file put send")

# Heads that name a text or a record that says something: "the complaint", "court records".
DOCUMENT_NOUNS = _word_set(
    """report poll survey study statement lawsuit suit complaint letter email memo memorandum document
    record records data filing ad advertisement release tweet post video article column editorial story
    analysis transcript order ruling decision verdict indictment affidavit motion brief cable figure
    figures number numbers estimate estimates finding findings result results website site book law
    bill constitution platform regulation regulations rule rules guideline guidelines policy agreement
    treaty map chart photo picture caption headline message note investigation review audit census
    count tally projection forecast index assessment testimony deposition charter manifesto petition summary
    notice warning advisory bulletin communique"""
)

# Document heads that stand for one another when a text refers back ("a lawsuit" ... "the suit").
DOCUMENT_SYNONYMS = {
    word: group
    for group in (
        _word_set("suit lawsuit"),
        _word_set("poll survey"),
        _word_set("email e-mail"),
        _word_set("memo memorandum"),
        _word_set("ad advertisement"),
    )
    for word in group
}

# What a poll or a study found, referred to as such ("The findings underscore …").
FINDINGS_NOUNS = _word_set("finding findings result results")
# The documents whose findings those are.
RESEARCH_NOUNS = _word_set("poll survey study report review investigation audit analysis census")

# Lower-case words inside surnames: "von der Leyen", "van Dam", "al-Assad", "da Silva".
NAME_PARTICLES = _word_set("von van der den de del della di da du le la ter bin al el dos das")

CASE_WORDS = {"v.", "v", "vs.", "vs", "versus"}

# Words that end a company's name ("Lumina Corp.", "Ada Holdings"): never a person's.
COMPANY_ENDINGS = _word_set("corp corp. inc inc. ltd ltd. llc plc co co. group holdings gmbh ag sa")

# Person nouns that name a crowd or a body, not one person.
COLLECTIVE_NOUNS = _word_set(
    "crowd audience public media establishment camp leadership community family staff"
)
