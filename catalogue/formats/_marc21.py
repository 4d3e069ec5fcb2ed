"""MARC 21 bibliographic records ↔ socsopr records: the field mapping (the README's table).

Reading prefers the original script: a field linked to an 880 (``$6 880-01``)
is read from the 880 when it has one, so a Cyrillic title or name catalogued
with an ALA-LC romanisation comes in as Cyrillic; the romanised form is not kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from catalogue.formats import _marcvalues as v
from catalogue.model.names import Name
from catalogue.model.record import NAME_ROLES, Record, days_in_month, join_places

if TYPE_CHECKING:
    from pymarc import Field
    from pymarc import Record as MarcRecord

# leader/06 (type of record) → socsopr type, for what is not text.
_RECORD_TYPES = {
    "c": "musical_score", "d": "musical_score", "e": "map", "f": "map", "g": "motion_picture",
    "i": "song", "j": "song", "k": "graphic", "m": "software", "r": "graphic", "t": "manuscript",
}
# socsopr type → leader/06-07.
_LEADER_TYPES = {
    "periodical": "as", "article": "ab", "article-journal": "ab", "article-magazine": "ab",
    "article-newspaper": "ab",
    "chapter": "aa", "entry": "aa", "entry-dictionary": "aa", "entry-encyclopedia": "aa",
    "paper-conference": "aa", "map": "em", "musical_score": "cm", "motion_picture": "gm", "song": "jm",
    "graphic": "km", "software": "mm", "dataset": "mm", "manuscript": "tm",
}
_COMPONENTS = frozenset({"aa", "ab"})
_LINK = re.compile(r"^(\d{3})-(\d{2})")
_EDTF = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _linked(record: MarcRecord) -> dict[tuple[str, str], Field]:
    """The 880 fields by the tag and occurrence they stand for: ``("245", "01")``."""
    found = {}
    for field in record.get_fields("880"):
        match = _LINK.match(field.get("6") or "")
        if match and match.group(2) != "00":
            found[(match.group(1), match.group(2))] = field
    return found


def _tagged(record: MarcRecord, linked: dict[tuple[str, str], Field], *tags: str) -> list[tuple[str, Field]]:
    """(tag, field) of the fields with these tags, each field replaced by its 880 (original script)."""
    out = []
    for field in record.get_fields(*tags):
        match = _LINK.match(field.get("6") or "")
        alternate = linked.get((field.tag, match.group(2))) if match and match.group(1) == "880" else None
        out.append((field.tag, alternate if alternate is not None else field))
    return out


def _fields(record: MarcRecord, linked: dict[tuple[str, str], Field], *tags: str) -> list[Field]:
    return [field for _tag, field in _tagged(record, linked, *tags)]


def _first(fields: list[Field], code: str) -> str:
    for field in fields:
        value = field.get(code)
        if value:
            return str(value)
    return ""


def _name(field: Field, corporate: bool) -> Name | None:
    entry = v.clean(field.get("a") or "")
    if not entry:
        return None
    if corporate:
        parts = [entry, *(v.clean(b) for b in field.get_subfields("b"))]
        return {"literal": ". ".join(p.rstrip(".") for p in parts if p) if len(parts) > 1 else entry}
    if field.indicator1 == "0" or "," not in entry:
        return {"literal": entry} if field.indicator1 == "0" else v.person(entry)
    family, _, given = entry.partition(",")
    return v.person(family, given, field.get("c") or "")


def _names(record: MarcRecord, linked: dict[tuple[str, str], Field], into: Record) -> None:
    for tag, field in _tagged(record, linked, "100", "110", "111", "700", "710", "711"):
        role = v.role_of(field.get_subfields("4"), field.get_subfields("e", "j"))
        if role is None:
            if field.get_subfields("4", "e", "j"):
                continue  # another role (illustrator, censor …): socsopr keeps four
            role = "author"
        name = _name(field, corporate=tag[1:] != "00")
        if name is not None:
            into.setdefault(role, []).append(name)


def _type(record: MarcRecord, into: Record) -> str:
    for field in record.get_fields("887"):
        if field.get("2") == v.TYPE_SOURCE and v.socsopr_type(field.get("a")):
            return str(field.get("a")).strip()
    leader = str(record.leader)
    kind, level = leader[6:7], leader[7:8]
    if kind in _RECORD_TYPES:
        return _RECORD_TYPES[kind]
    if level in ("s", "i"):
        return "periodical"
    if level in ("a", "b"):
        host = record.get("773")
        serial_host = level == "b" or (host is not None and host.get("x"))
        return "article-journal" if serial_host else "chapter"
    if record.get_fields("502"):
        return "thesis"
    return v.book_or_pamphlet(into)


def _with_days(issued: dict[str, Any], record: MarcRecord) -> dict[str, Any]:
    """The dates with their months and days from 046 $k/$l (EDTF), when they are of the same years."""
    parts = [list(p) for p in issued["date-parts"]]
    for field in record.get_fields("046"):
        if (field.get("2") or "").lower() != "edtf":
            continue
        for i, code in enumerate(("k", "l")):
            match = _EDTF.fullmatch(field.get(code) or "")
            if match and i < len(parts) and parts[i] and parts[i][0] == int(match.group(1)):
                found = [int(g) for g in match.groups() if g]
                if 1 <= found[1] <= 12 and (len(found) < 3 or 1 <= found[2] <= days_in_month(*found[:2])):
                    parts[i] = found
    return {"date-parts": parts}


def _edtf(parts: list[int]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def _title(field: Field, title_of: Any) -> tuple[str, int | str | None]:
    """A 245 (or its 880) as the title (``$a: $b``, parts after a full stop) and the volume ($n)."""
    title = title_of(" ".join(field.get_subfields("a")))
    remainder = title_of(" ".join(field.get_subfields("b")))
    parts = [title_of(p) for p in field.get_subfields("p")]
    title = ". ".join(p for p in (title, *parts) if p)
    numbers = [title_of(n) for n in field.get_subfields("n") if title_of(n)]
    text = f"{title}: {remainder}" if title and remainder else title or remainder
    return text, v.number_or_text(numbers[0]) if numbers else None


def _parallel_titles(record: MarcRecord, romanised: str, language: str | None, title_of: Any) -> list[Any]:
    """The romanised 245 of a title read from its 880 (ALA-LC, the romanisation of MARC 21 catalogues),
    and the translated titles of 242 ($y their language)."""
    found = []
    if romanised:
        tag = f"{(language or 'und').split('-')[0]}-Latn"
        found.append({"kind": "romanization", "language": tag, "system": v.ROMANISATION, "text": romanised})
    for field in record.get_fields("242"):
        text = _title(field, title_of)[0]
        if text:
            found.append({"kind": "translation", "language": v.language_of(field.get("y")) or "und",
                          "text": text})
    return found


def to_record(record: MarcRecord) -> Record:
    """A MARC 21 record as a socsopr record (no ``id`` unless 035 carries a socsopr key)."""
    linked = _linked(record)
    out: Record = {}
    # socsopr writes no closing full stops: in its own records a final one belongs to the text
    ours = any(f.get("2") == v.TYPE_SOURCE for f in record.get_fields("887"))
    title_of = v.clean if ours else v.clean_title
    for field in record.get_fields("035"):
        value = field.get("a") or ""
        if value.startswith(v.KEY_PREFIX) and value[len(v.KEY_PREFIX):].strip():
            out["id"] = value[len(v.KEY_PREFIX):].strip()
            break
    _names(record, linked, out)
    titles = _fields(record, linked, "245")
    romanised = ""
    if titles:
        out["title"], volume = _title(titles[0], title_of)
        if volume:
            out["volume"] = volume
        own = record.get("245")
        if own is not None and own is not titles[0]:  # the title came from its 880: the 245 is romanised
            romanised = _title(own, title_of)[0]
    number = v.clean(_first(record.get_fields("088"), "a"))
    if number:
        out["number"] = v.number_or_text(number)
    variant = _first(_fields(record, linked, "246"), "a")
    if variant:
        out["title-short"] = title_of(variant)
    original = _first(_fields(record, linked, "240", "130"), "a")
    if original:
        out["original-title"] = title_of(original)
    edition = v.clean(_first(_fields(record, linked, "250"), "a"))
    if edition:
        out["edition"] = v.number_or_text(edition)
    imprints = [f for f in _fields(record, linked, "264") if f.indicator2 == "1"] or _fields(
        record, linked, "260")
    date = ""
    if imprints:
        imprint = imprints[0]
        place = join_places(v.clean(p).replace(";", ",") for p in imprint.get_subfields("a"))
        if place:
            out["publisher-place"] = place
        publisher = v.clean(" ; ".join(imprint.get_subfields("b")))
        if publisher:
            out["publisher"] = publisher
        date = " ".join(imprint.get_subfields("c"))
    fixed = record.get("008")
    data = fixed.data if fixed is not None and fixed.data else ""
    issued = v.issued_from_text(date)
    if issued is None and len(data) >= 15 and data[7:11].isdigit():
        issued = v.issued_from_text(data[7:11] + ("-" if data[6] == "c" else ""))
    if issued:
        out["issued"] = _with_days(issued, record)
    pages = v.page_count(_first(record.get_fields("300"), "a"))
    if pages:
        out["number-of-pages"] = pages
    series = _fields(record, linked, "490") or _fields(record, linked, "830")
    if series and series[0].get("a"):
        out["collection-title"] = v.clean(series[0].get("a"))
        number = v.clean(series[0].get("v") or "")
        if number:
            out["collection-number"] = v.number_or_text(number)
    languages = record.get("041")
    language = v.language_of((languages.get("a") or "")[:3] if languages is not None else None)
    language = language or v.language_of(data[35:38] if len(data) >= 38 else None)
    if language:
        out["language"] = language
    for tag, field_name in (("020", "ISBN"), ("022", "ISSN")):
        value = _first(record.get_fields(tag), "a")
        if value:
            out[field_name] = value.split()[0].rstrip(":;,")
    for field in record.get_fields("024"):
        if field.indicator1 == "7" and (field.get("2") or "").lower() == "doi" and field.get("a"):
            out["DOI"] = str(field.get("a")).strip()
            break
    url = _first(record.get_fields("856"), "u")
    if url:
        out["URL"] = url.strip()
    for tag, field_name in (("500", "note"), ("520", "abstract"), ("590", "remarks"), ("588", "source")):
        texts = [" ".join(f.get_subfields("a")) for f in _fields(record, linked, tag)]
        if any(t.strip() for t in texts):
            out[field_name] = "\n".join(t.strip() for t in texts if t.strip())
    thesis = record.get("502")
    genre = " ".join(thesis.get_subfields("a", "b")) if thesis else ""
    genre = genre or _first(record.get_fields("655"), "a")
    if genre.strip():
        out["genre"] = v.clean(genre)
    scale = _first(record.get_fields("255"), "a")
    if scale.strip():
        out["scale"] = v.clean(scale).removeprefix("Scale ")
    host = record.get("773")
    if host is not None:
        if host.get("t"):
            out["container-title"] = title_of(host.get("t"))
        for field_name, located in v.locators(" ".join(host.get_subfields("g"))).items():
            out.setdefault(field_name, located)
        if host.get("x") and "ISSN" not in out:
            out["ISSN"] = str(host.get("x")).strip()
        if host.get("z") and "ISBN" not in out:
            out["ISBN"] = str(host.get("z")).strip()
    tags: list[str] = []
    for field in record.get_fields("653"):
        tags.extend(t.strip() for t in field.get_subfields("a") if t.strip())
    if v.usable_tags(tags):
        out["tags"] = v.usable_tags(tags)
    parallel = _parallel_titles(record, romanised, out.get("language"), title_of)
    if parallel:
        out["titles"] = parallel
    out["type"] = _type(record, out)
    return out


# --- writing -------------------------------------------------------------------------


def _fixed_field(record: Record, code: str | None) -> str:
    """008: date entered, type of date, dates, place, language (the other positions blank or '|')."""
    added = str(record.get("added") or "")
    entered = added[2:4] + added[5:7] + added[8:10] if len(added) >= 10 else "      "
    first, last, open_range = v.years_of(record)
    if first is None:
        kind, dates = "n", "uuuuuuuu"
    elif open_range:
        kind, dates = "c", f"{first:04d}9999"
    elif last and last != first:
        kind, dates = ("d" if record.get("type") == "periodical" else "m"), f"{first:04d}{last:04d}"
    else:
        kind, dates = "s", f"{first:04d}    "
    body = f"{entered}{kind}{dates}xx " + " " * 17
    return (body + (code or "und") + " d")[:40].ljust(40)


def _sub(field_code: str, value: object) -> Any:
    from pymarc import Subfield

    return Subfield(code=field_code, value=v.no_delimiters(str(value)))


def _name_field(tag_person: str, tag_org: str, name: Name, role: str) -> Field:
    from pymarc import Field, Indicators

    relator = [_sub("e", role), _sub("4", v.RELATOR_CODES[role])]
    if "literal" in name:
        return Field(tag=tag_org, indicators=Indicators("2", " "),
                     subfields=[_sub("a", v.one_line(name["literal"])), *relator])
    family, given = v.inverted(name)
    entry = f"{family}, {given}" if given else family
    subfields = [_sub("a", v.one_line(entry))]
    if name.get("suffix"):
        subfields.append(_sub("c", v.one_line(name["suffix"])))
    return Field(tag=tag_person, indicators=Indicators("1", " "), subfields=[*subfields, *relator])


def _data(tag: str, ind: str, *pairs: tuple[str, object]) -> Field:
    from pymarc import Field, Indicators

    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]),
                 subfields=[_sub(c, val) for c, val in pairs if val not in (None, "")])


def from_record(record: Record) -> MarcRecord:
    """A socsopr record as a MARC 21 record (UTF-8, leader/09 = 'a')."""
    from pymarc import Field, Leader
    from pymarc import Record as MarcRecord

    rtype = str(record.get("type") or "book")
    kind = _LEADER_TYPES.get(rtype, "am")
    out = MarcRecord(force_utf8=True)
    out.leader = Leader(f"00000n{kind} a2200000 i 4500")
    code = v.language_code(record.get("language"))
    modified = re.sub(r"\D", "", str(record.get("modified") or ""))
    if len(modified) >= 14:
        out.add_ordered_field(Field(tag="005", data=modified[:14] + ".0"))
    out.add_ordered_field(Field(tag="008", data=_fixed_field(record, code)))
    component = kind in _COMPONENTS
    if record.get("ISBN") and not component:
        out.add_ordered_field(_data("020", "  ", ("a", v.one_line(record["ISBN"]))))
    if record.get("ISSN") and not component:
        out.add_ordered_field(_data("022", "  ", ("a", v.one_line(record["ISSN"]))))
    if record.get("DOI"):
        out.add_ordered_field(_data("024", "7 ", ("a", v.one_line(record["DOI"])), ("2", "doi")))
    out.add_ordered_field(_data("035", "  ", ("a", v.KEY_PREFIX + str(record["id"]))))
    dates = (record.get("issued") or {}).get("date-parts") or []
    detailed = [p for p in dates if isinstance(p, list) and len(p) > 1 and all(type(x) is int for x in p)]
    if detailed and len(dates) <= 2:
        pairs_046 = [(code, _edtf(p)) for code, p in zip(("k", "l"), dates, strict=False)
                     if isinstance(p, list) and len(p) > 1]
        out.add_ordered_field(_data("046", "  ", *pairs_046, ("2", "edtf")))
    if record.get("number") not in (None, ""):
        out.add_ordered_field(_data("088", "  ", ("a", v.one_line(record["number"]))))
    if code:
        out.add_ordered_field(_data("041", "  ", ("a", code)))
    main_done = False
    for role in NAME_ROLES:
        for name in record.get(role) or ():
            if role == "author" and not main_done:
                field = _name_field("100", "110", name, role)
                main_done = True
            else:
                field = _name_field("700", "710", name, role)
            out.add_ordered_field(field)
    if record.get("original-title"):
        out.add_ordered_field(_data("240", "10", ("a", v.one_line(record["original-title"]))))
    title = v.one_line(record.get("title") or "")
    volume = v.one_line(record["volume"]) if record.get("volume") not in (None, "") and not component else ""
    indicators = ("1" if main_done else "0") + "0"
    romanised, script = _romanisation(record), v.script_code(title)
    if romanised and script is not None:  # the romanised title in 245, the original in its 880
        out.add_ordered_field(_data("245", indicators, ("6", "880-01"), *_title_pairs(romanised, volume)))
        linked = ("6", "245-01" + script)
        out.add_ordered_field(_data("880", indicators, linked, *_title_pairs(title, volume)))
    else:
        out.add_ordered_field(_data("245", indicators, *_title_pairs(title, volume)))
    for parallel in record.get("titles") or ():
        if isinstance(parallel, dict) and parallel.get("kind") == "translation" and parallel.get("text"):
            out.add_ordered_field(_data("242", "10", *_title_pairs(v.one_line(parallel["text"]), ""),
                                        ("y", v.language_code(parallel.get("language")) or "und")))
    if record.get("title-short"):
        out.add_ordered_field(_data("246", "3 ", ("a", v.one_line(record["title-short"]))))
    if record.get("edition") not in (None, ""):
        out.add_ordered_field(_data("250", "  ", ("a", v.one_line(record["edition"]))))
    _imprint(record, out)
    if record.get("number-of-pages"):
        extent = v.extent_text(record["number-of-pages"], str(record.get("language") or ""))
        out.add_ordered_field(_data("300", "  ", ("a", extent)))
    if record.get("scale"):
        out.add_ordered_field(_data("255", "  ", ("a", "Scale " + v.one_line(record["scale"]))))
    if record.get("collection-title"):
        out.add_ordered_field(_data("490", "0 ", ("a", v.one_line(record["collection-title"])),
                                    ("v", v.one_line(record.get("collection-number") or ""))))
    for field_name, tag in (("note", "500"), ("abstract", "520"), ("source", "588"), ("remarks", "590")):
        for line in str(record.get(field_name) or "").splitlines():
            if line.strip():
                out.add_ordered_field(_data(tag, "  ", ("a", v.one_line(line))))
    if record.get("genre"):
        genre = v.one_line(record["genre"])
        out.add_ordered_field(_data("502", "  ", ("a", genre)) if rtype == "thesis" else _data(
            "655", " 4", ("a", genre)))
    for tag in record.get("tags") or ():
        out.add_ordered_field(_data("653", "  ", ("a", v.one_line(tag))))
    if record.get("container-title") or (component and v.locator_text(record)):
        out.add_ordered_field(_data(
            "773", "0 ", ("t", v.one_line(record.get("container-title") or "")),
            ("g", v.locator_text(record) if component else ""),
            ("x", v.one_line(record.get("ISSN") or "") if component else ""),
            ("z", v.one_line(record.get("ISBN") or "") if component else "")))
    if record.get("URL"):
        out.add_ordered_field(_data("856", "40", ("u", v.one_line(record["URL"]))))
    out.add_ordered_field(_data("887", "  ", ("a", rtype), ("2", v.TYPE_SOURCE)))
    return out


def _title_pairs(title: str, volume: str) -> list[tuple[str, object]]:
    main, sep, remainder = title.partition(": ")
    pairs: list[tuple[str, object]] = [("a", main + (" :" if sep else ""))]
    if sep:
        pairs.append(("b", remainder))
    if volume:
        pairs.append(("n", volume))
    return pairs


def _romanisation(record: Record) -> str:
    """The romanised title to write in 245 beside the original in 880: ALA-LC's if given, else the first."""
    given = [t for t in record.get("titles") or () if isinstance(t, dict) and t.get("kind") == "romanization"
             and t.get("text")]
    chosen = next((t for t in given if t.get("system") == v.ROMANISATION), given[0] if given else None)
    return v.one_line(chosen["text"]) if chosen else ""


def _imprint(record: Record, out: MarcRecord) -> None:
    places = [p.strip() for p in str(record.get("publisher-place") or "").split(";") if p.strip()]
    publisher = v.one_line(record.get("publisher") or "")
    date = v.date_text(record)
    if not (places or publisher or date):
        return
    pairs: list[tuple[str, object]] = []
    for i, place in enumerate(places):
        last = i == len(places) - 1
        pairs.append(("a", v.one_line(place) + ((" :" if publisher else ",") if last else " ;")))
    if publisher:
        pairs.append(("b", publisher + ("," if date else "")))
    if date:
        pairs.append(("c", date))
    out.add_ordered_field(_data("264", " 1", *pairs))
