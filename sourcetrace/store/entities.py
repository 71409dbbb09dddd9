"""Merge sources across articles into entities.

Each article names its sources its own way: "Russian President Vladimir
Putin", "Vladimir Putin", "Putin", "President Putin". An entity key is the
name with titles and roles stripped ("vladimir putin"); every form seen is kept
as an alias, and a person's surname is an alias too, so a bare "Putin" joins
the one entity whose surname it is. A surname shared by several entities
("Johnson") is ambiguous and gets an entity of its own instead of a guess.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, bindparam, func, insert, select, update

from .schema import entities, entity_aliases

# Words that make up titles and roles in front of a name, never part of the name itself.
TITLE_WORDS = frozenset(
    """
    president vice prime minister ministers secretary senator sen representative rep gov governor mayor
    general gen col colonel lt lieutenant sgt sergeant admiral adm captain capt major maj commander
    chancellor king queen prince princess pope emir sheikh ayatollah premier crown dr mr mrs ms miss sir dame
    lord lady judge justice chief spokesman spokeswoman spokesperson ambassador envoy director chairman
    chairwoman chair ceo cfo founder leader officer official deputy acting former foreign defense defence
    interior state attorney speaker congressman congresswoman councillor councilman councilwoman professor
    prof rev reverend father bishop archbishop cardinal press secretary-general undersecretary under assistant
    economy finance health justice treasury trade labor labour energy commerce education candidate nominee
    presidential senior junior host anchor correspondent editor analyst economist mr. mrs. ms. dr. gov. sen.
    rep. gen. col. lt. sgt. adm. capt. maj. prof. rev. st. u.s. us uk u.k. un u.n. eu of the and for to
    """.split()
)
# Nationality and party adjectives that precede titles ("Russian President ..."); a closed list, because
# a pattern like "-an" would also eat first names (Jordan, Morgan, Brennan).
DEMONYMS = frozenset(
    """
    american british english scottish welsh irish french german italian spanish portuguese dutch belgian swiss austrian
    polish czech slovak hungarian romanian bulgarian greek turkish russian ukrainian belarusian georgian armenian
    azerbaijani kazakh chinese japanese korean indian pakistani afghan iranian iraqi syrian lebanese israeli palestinian
    jordanian saudi qatari emirati yemeni egyptian libyan tunisian algerian moroccan nigerian kenyan ethiopian
    south african canadian mexican cuban venezuelan colombian brazilian argentine argentinian chilean peruvian
    australian european nordic swedish norwegian danish finnish estonian latvian lithuanian serbian croatian bosnian
    taiwanese vietnamese thai indonesian filipino malaysian republican democratic democrat conservative labour liberal
    western eastern northern southern federal national regional local top
    """.split()
)
_TOKEN = re.compile(r"[^\s]+")
_POSSESSIVE = re.compile(r"['’]s$")
_STRIP = "\"'“”‘’,;:()[]"


def _tokens(name: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(name):
        tok = _POSSESSIVE.sub("", tok.strip(_STRIP))
        if tok:
            out.append(tok)
    return out


def _is_title(tok: str) -> bool:
    low = tok.lower()
    return low in TITLE_WORDS or low.rstrip(".") in TITLE_WORDS or low in DEMONYMS or not tok[:1].isupper()


def clean_name(name: str, type_: str = "unknown") -> str:
    """The name without titles, roles, articles or possessives: the part that identifies the entity.

    A person keeps the trailing run of capitalised non-title words ("President
    Putin" -> "Putin"); other types only lose a title prefix when at least two
    name words follow ("Russian President Vladimir Putin" -> "Vladimir Putin",
    but "Defence Ministry" stays whole).
    """
    return _clean(name, type_)[0]


def _clean(name: str, type_: str) -> tuple[str, bool]:
    """(cleaned name, whether a title or role prefix was dropped)."""
    toks = _tokens(name)
    if toks and toks[0].lower() == "the":
        toks = toks[1:]
    if not toks:
        return name.strip(), False
    i = len(toks)
    while i > 0 and not _is_title(toks[i - 1]):
        i -= 1
    tail = toks[i:]
    if tail and (len(tail) >= 2 or (type_ == "person" and i > 0)):
        return " ".join(tail), i > 0
    return " ".join(toks), False


def name_key(name: str, type_: str = "unknown") -> str:
    return re.sub(r"\s+", " ", clean_name(name, type_)).casefold()[:500]


def _aliases_for(raw: str, type_: str) -> set[str]:
    cleaned, titled = _clean(raw, type_)
    key = re.sub(r"\s+", " ", cleaned).casefold()[:500]
    out = {key, re.sub(r"\s+", " ", raw.strip()).casefold()[:500]}
    words = key.split()
    # A person's surname is an alias; so is that of a titled name of another type ("Russian President Vladimir Putin").
    if len(words) >= 2 and (type_ == "person" or (titled and type_ in ("unknown", "government"))):
        out.add(words[-1])
    return {a for a in out if a}


def lookup(conn: Connection, name: str) -> list[int]:
    """Entity ids a user's query name refers to ("Putin", "Vladimir Putin", "Russian President Vladimir Putin")."""
    keys = {name_key(name, "person"), name_key(name), re.sub(r"\s+", " ", name.strip()).casefold()}
    ids = conn.execute(select(entity_aliases.c.entity_id).where(entity_aliases.c.alias.in_(keys)).distinct()).scalars().all()
    if not ids:
        ids = conn.execute(select(entities.c.id).where(func.lower(entities.c.name) == name.strip().lower())).scalars().all()
    return sorted(set(ids))


# Built once: a save resolves a few sources per article, and building these expressions anew cost
# as much as running them.
_BY_ALIAS = (
    select(entity_aliases.c.entity_id, entities.c.type)
    .join(entities, entities.c.id == entity_aliases.c.entity_id)
    .where(entity_aliases.c.alias == bindparam("alias"))
)
_BY_KEY = select(entities.c.id, entities.c.type).where(entities.c.key == bindparam("key"))
_SURNAME_ONLY = _BY_KEY.where(entities.c.type.in_(bindparam("types", expanding=True)))
_RENAME = update(entities).where(entities.c.id == bindparam("eid")).values(name=bindparam("name"))
# "unknown" is checked again in the UPDATE: of two concurrent writers, the first to give a type keeps it.
_TYPE_KNOWN = (
    update(entities).where(entities.c.id == bindparam("eid"), entities.c.type == "unknown").values(type=bindparam("type"))
)
_CREATE = (
    insert(entities)
    .values(key=bindparam("key"), name=bindparam("name"), type=bindparam("type"), anonymous=False)
    .returning(entities.c.id)
)
# Which of these aliases the entity has: a lookup on the (alias, entity_id) primary key, not a scan for entity_id.
_HAS_ALIASES = select(entity_aliases.c.alias).where(
    entity_aliases.c.alias.in_(bindparam("aliases", expanding=True)), entity_aliases.c.entity_id == bindparam("eid")
)
_ADD_ALIAS = insert(entity_aliases)


def resolve(conn: Connection, name: str, type_: str = "unknown", anonymous: bool = False) -> int | None:
    """The entity id for a source name, creating or widening an entity as needed. Anonymous sources get none."""
    return _resolve(conn, name, type_, anonymous)[0]


class Resolver:
    """:func:`resolve` for one transaction, each name looked up once until something is written.

    An article names many sources more than once. A lookup that writes nothing
    leaves the entity tables as they were, so asking again gives the same
    answer; a write (a new entity, a rename, a type, an alias) can change other
    names' answers (a second "... Johnson" makes a bare "Johnson" ambiguous), so
    it clears what was remembered.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self._known: dict[tuple[str, str, bool], int | None] = {}

    def __call__(self, name: str, type_: str = "unknown", anonymous: bool = False) -> int | None:
        asked = (name, type_, anonymous)
        if asked not in self._known:
            entity_id, wrote = _resolve(self.conn, name, type_, anonymous)
            if wrote:
                self._known.clear()
            self._known[asked] = entity_id
        return self._known[asked]


def _resolve(conn: Connection, name: str, type_: str, anonymous: bool) -> tuple[int | None, bool]:
    """(entity id or None, whether anything was written)."""
    if anonymous or not name or not name.strip():
        return None, False
    key = name_key(name, type_)
    if not key:
        return None, False
    words = key.split()
    entity, wrote = None, False  # entity: (id, type)
    candidates = conn.execute(_BY_ALIAS, {"alias": key}).all()
    if len(candidates) == 1:
        entity = candidates[0]
    elif candidates:  # ambiguous alias (a shared surname): only an exact key will do
        entity = conn.execute(_BY_KEY, {"key": key}).first()
    if entity is None and len(words) >= 2 and type_ in ("person", "unknown", "government"):
        # "Vladimir Putin" after a bare "Putin": widen the surname-only entity.
        entity = conn.execute(_SURNAME_ONLY, {"key": words[-1], "types": sorted({"person", "unknown", type_})}).first()
        if entity is not None:
            conn.execute(_RENAME, {"eid": entity[0], "name": clean_name(name, type_)})
            wrote = True
    if entity is None and not candidates:  # (with candidates, the exact key was looked up above)
        entity = conn.execute(_BY_KEY, {"key": key}).first()
    wanted = _aliases_for(name, type_)
    if entity is None:
        entity_id = conn.execute(_CREATE, {"key": key, "name": clean_name(name, type_), "type": type_}).scalar_one()
        existing: set[str] = set()
        wrote = True
    else:
        entity_id = entity[0]
        if type_ != "unknown" and entity[1] == "unknown":
            conn.execute(_TYPE_KNOWN, {"eid": entity_id, "type": type_})
            wrote = True
        existing = set(conn.execute(_HAS_ALIASES, {"aliases": sorted(wanted), "eid": entity_id}).scalars())
    new = wanted - existing
    if new:
        conn.execute(_ADD_ALIAS, [{"alias": a, "entity_id": entity_id} for a in sorted(new)])
        wrote = True
    return entity_id, wrote
