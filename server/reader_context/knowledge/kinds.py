"""What kind of thing an entry is, read from the head noun of its short description.

Wikidata-style descriptions put the head noun before the first preposition: "1968 film by Stanley
Kubrick" is a film, "President of Russia since 2012" is a president, "Ancient city in central Syria"
is a city. Matching keywords anywhere in the text gets these wrong; the head noun does not.
"""

from __future__ import annotations

import re

HEADS: dict[str, str] = {}
for _kind, _words in {
    "person": """politician president king queen emperor empress philosopher writer poet novelist composer painter
        actor actress singer musician scientist physicist chemist mathematician explorer general pope saint
        prophet footballer player cricketer athlete sprinter boxer swimmer cyclist golfer driver businessman
        businesswoman magnate inventor engineer architect sculptor director filmmaker economist historian
        psychologist psychiatrist biologist naturalist astronomer revolutionary activist dictator monarch ruler
        pharaoh sultan caliph minister chancellor lady journalist comedian rapper songwriter singer-songwriter
        dancer theologian statesman stateswoman diplomat lawyer jurist judge physician surgeon astronaut
        cosmonaut aviator officer leader commander admiral marshal prince princess tsar czar shah khan consort
        nobleman noblewoman aristocrat conqueror missionary reformer preacher rabbi imam bishop archbishop
        cardinal mystic guru monk nun scholar linguist sociologist anthropologist geographer cartographer
        photographer designer chef entrepreneur investor philanthropist industrialist banker model youtuber
        presenter host author playwright dramatist lyricist conductor pianist violinist guitarist drummer cellist
        organist soprano tenor baritone choreographer diarist emir founder spokesperson secretary-general
        senator governor mayor chairman ceo coach manager referee tennis golfer chess grandmaster polymath
        mother father son daughter wife husband""",
    "place": """country state city capital town village municipality commune river lake sea ocean mountain
        mountains range peak volcano island islands archipelago continent subcontinent region province county
        district prefecture territory desert peninsula valley canal strait gulf bay metropolis megacity site
        building temple cathedral mosque church palace castle citadel fortress fort bridge tower monument park
        waterfall falls glacier plateau plain basin delta reef forest rainforest steppe empire kingdom caliphate
        sultanate republic dynasty confederation colony polity civilization civilisation port airport stadium
        museum library square street road wall dam mine neighborhood neighbourhood borough suburb landmark
        area location oasis cave coast cape lagoon complex ruins tomb mausoleum pyramid statue garden zoo
        university campus emirate principality duchy""",
    "organization": """organization organisation agency company university union corporation conglomerate party college school
        band group duo trio league alliance club team bank denomination charity brand manufacturer automaker
        broadcaster network institute institution foundation association society order movement militia army
        navy police parliament legislature council court ministry government department commission committee
        retailer airline publisher label studio cartel coalition bloc firm enterprise subsidiary website
        outlet orchestra choir ensemble franchise consortium exchange""",
    "event": """war battle revolution earthquake tsunami cyclone hurricane typhoon flood floods pandemic epidemic
        crisis election massacre genocide siege rebellion uprising invasion bombing bombings attack attacks
        disaster famine revolt conference summit olympics games championship cup tournament festival eruption
        protests riots coup assassination campaign expedition crusade conquest accident shooting pogrom
        holocaust migration conflict incident race competition plague outbreak referendum treaty wars
        conflicts crisis scandal ceremony""",
    "work": """film novel novella book painting album song opera symphony concerto poem play sculpture fresco
        series sitcom game treatise manuscript text scripture magazine newspaper comic comics manga anime ballet
        musical story essay mural tale work soundtrack single artwork epic trilogy saga show documentary
        encyclopedia dictionary journal""",
}.items():
    for _w in _words.split():
        HEADS.setdefault(_w, _kind)

# Heads that name a thing of the world only in the human topics: "Group of even-toed ruminants" and
# "Area of mathematics" are concepts, "Swedish pop group" and "State in Mesopotamia" are not.
WEAK_HEADS = {"group", "order", "movement", "state", "area", "range", "complex", "union", "series", "work",
              "game", "games", "model", "network", "society", "family", "class", "system", "show", "text", "plain",
              "basin", "play", "single", "label", "exchange", "site", "race", "founder"}
HUMAN_TOPICS = {"People", "Geography", "History", "Society and social sciences", "Arts", "Uncategorized",
                "Philosophy and religion", "Everyday life"}
NOT_ADVERBS = {"family", "assembly", "ally", "monopoly", "anomaly", "butterfly"}
TOPIC_DEFAULT = {"People": "person", "Geography": "place"}

_CUT = re.compile(
    r"\s(?:of|in|by|from|for|that|who|which|with|on|at|above|near|to|between|within|since|during|founded|"
    r"based|located|known|used|born|whose|where|against|under|about|after|before|until|across|along|around|off|beside)\s|[(,;:]",
    re.IGNORECASE,
)
# Deities and legendary figures are not people a news reader means by a PERSON mention.
_MYTH = re.compile(r"\b(?:god|goddess|deity|mytholog\w*|legendary|mythical|fictional|demigod)\b", re.IGNORECASE)


def head_noun(description: str) -> str:
    phrase = _CUT.split(description, maxsplit=1)[0]
    # "Country primarily in North America": adverbs are not heads.
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-']*", phrase) if not (w.islower() and w.endswith("ly") and w not in NOT_ADVERBS)]
    return words[-1].lower() if words else ""


def classify(description: str | None, topic: str | None = None) -> str:
    text = (description or "").strip()
    if _MYTH.search(text):
        return "other"
    head = head_noun(text)
    kind = HEADS.get(head) or (HEADS.get(head[:-1]) if head.endswith("s") else None)
    if kind and (head not in WEAK_HEADS or topic in HUMAN_TOPICS):
        return kind
    if topic == "People" and re.search(r"\(\s*(?:c\.\s*|born\s+|b\.\s*)?\d{1,4}", text):
        return "person"
    return TOPIC_DEFAULT.get(topic or "", "concept")
