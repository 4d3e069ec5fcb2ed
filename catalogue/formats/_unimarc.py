"""UNIMARC / RUSMARC bibliographic records ↔ socsopr records: the field mapping (the README's table).

The same ISO 2709 container as MARC 21 with other tags: 200 title and
responsibility, 205 edition, 210 (or 214) publication, 215 extent, 225 series,
101 language, 700/701/702 and 710/711/712 names with UNIMARC relator codes in $4,
100 general processing data (dates, character set).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalogue.formats import _marcvalues as v
from catalogue.model.names import Name
from catalogue.model.record import NAME_ROLES, Record, join_places

if TYPE_CHECKING:
    from pymarc import Field
    from pymarc import Record as MarcRecord

_RECORD_TYPES = {"c": "musical_score", "d": "musical_score", "e": "map", "f": "map", "g": "motion_picture",
                 "i": "song", "j": "song", "k": "graphic", "l": "software", "b": "manuscript"}
_LEADER_TYPES = {
    "periodical": "as", "article": "aa", "article-journal": "aa", "article-magazine": "aa",
    "article-newspaper": "aa",
    "chapter": "aa", "entry": "aa", "entry-dictionary": "aa", "entry-encyclopedia": "aa",
    "paper-conference": "aa", "map": "em", "musical_score": "cm", "motion_picture": "gm", "song": "jm",
    "graphic": "km", "software": "lm", "dataset": "lm", "manuscript": "bm",
}
_CYRILLIC = frozenset({"ru", "uk", "be", "bg", "sr", "mk"})


def _first(record: MarcRecord, tag: str, code: str) -> str:
    for field in record.get_fields(tag):
        value = field.get(code)
        if value:
            return str(value)
    return ""


def _embedded_title(field: Field) -> str:
    """$t of a link field, or $a of its embedded 200 (``$1 2001 $a …``)."""
    if field.get("t"):
        return str(field.get("t"))
    in_title = False
    for sub in field.subfields:
        if sub.code == "1":
            in_title = sub.value.startswith("200")
        elif sub.code == "a" and in_title:
            return sub.value
    return ""


def _name(field: Field) -> Name | None:
    entry = v.clean(field.get("a") or "")
    if not entry:
        return None
    if field.tag.startswith("71"):
        parts = [entry, *(v.clean(b) for b in field.get_subfields("b"))]
        return {"literal": ". ".join(parts) if len(parts) > 1 else entry}
    given = v.clean(field.get("g") or field.get("b") or "")
    if field.indicator2 == "0" and not given:
        return {"literal": entry}
    return v.person(entry, given, field.get("d") or "")


def _names(record: MarcRecord, into: Record) -> None:
    for field in record.get_fields("700", "701", "702", "710", "711", "712"):
        codes = [c.strip() for c in field.get_subfields("4")]
        role = next((v.UNIMARC_RELATORS[c] for c in codes if c in v.UNIMARC_RELATORS), None)
        if role is None:
            if codes or field.tag in ("702", "712"):
                continue  # another role, or secondary responsibility with none named
            role = "author"
        name = _name(field)
        if name is not None:
            into.setdefault(role, []).append(name)


def _type(record: MarcRecord, into: Record) -> str:
    for field in record.get_fields("900"):
        if field.get("2") == v.TYPE_SOURCE and v.socsopr_type(field.get("a")):
            return str(field.get("a")).strip()
    leader = str(record.leader)
    kind, level = leader[6:7], leader[7:8]
    if kind in _RECORD_TYPES:
        return _RECORD_TYPES[kind]
    if level == "s":
        return "periodical"
    if level == "a":
        host = record.get("463") or record.get("461")
        return "article-journal" if host is not None and host.get("x") else "chapter"
    if record.get_fields("328"):
        return "thesis"
    return v.book_or_pamphlet(into)


def to_record(record: MarcRecord) -> Record:
    """A UNIMARC record as a socsopr record."""
    out: Record = {}
    # socsopr writes no closing full stops: in its own records a final one belongs to the text
    ours = any(f.get("2") == v.TYPE_SOURCE for f in record.get_fields("900"))
    title_of = v.clean if ours else v.clean_title
    for field in record.get_fields("035"):
        value = field.get("a") or ""
        if value.startswith(v.KEY_PREFIX) and value[len(v.KEY_PREFIX):].strip():
            out["id"] = value[len(v.KEY_PREFIX):].strip()
            break
    _names(record, out)
    title_field = record.get("200")
    if title_field is not None:
        title = ". ".join(title_of(a) for a in title_field.get_subfields("a") if title_of(a))
        parts = [title_of(i) for i in title_field.get_subfields("i") if title_of(i)]
        title = ". ".join(p for p in (title, *parts) if p)
        remainder = title_of(" ".join(title_field.get_subfields("e")))
        out["title"] = f"{title}: {remainder}" if title and remainder else title or remainder
        volume = title_of(title_field.get("v") or title_field.get("h") or "")
        if volume:
            out["volume"] = v.number_or_text(volume)
    variant = _first(record, "517", "a")
    if variant:
        out["title-short"] = title_of(variant)
    for field in record.get_fields("454"):
        original = _embedded_title(field)
        if original:
            out["original-title"] = title_of(original)
            break
    edition = v.clean(_first(record, "205", "a"))
    if edition:
        out["edition"] = v.number_or_text(edition)
    imprint = record.get("210") or record.get("214")
    date = ""
    if imprint is not None:
        place = join_places(v.clean(p.strip("[]")).replace(";", ",") for p in imprint.get_subfields("a"))
        if place:
            out["publisher-place"] = place
        publisher = v.clean(" ; ".join(imprint.get_subfields("c")))
        if publisher:
            out["publisher"] = publisher
        date = " ".join(imprint.get_subfields("d"))
    general = _first(record, "100", "a")
    issued = v.issued_from_text(date)
    if issued is None and len(general) >= 17 and general[9:13].isdigit():
        open_range = general[8] == "a" and general[13:17] == "9999"
        issued = v.issued_from_text(general[9:13] + ("-" if open_range else ""))
    if issued:
        out["issued"] = issued
    pages = v.page_count(_first(record, "215", "a"))
    if pages:
        out["number-of-pages"] = pages
    series = record.get("225")
    if series is not None and series.get("a"):
        out["collection-title"] = v.clean(series.get("a"))
        number = v.clean(series.get("v") or "")
        if number:
            out["collection-number"] = v.number_or_text(number)
    language = v.language_of(_first(record, "101", "a")[:3])
    if language:
        out["language"] = language
    for tag, field_name in (("010", "ISBN"), ("011", "ISSN")):
        value = _first(record, tag, "a")
        if value:
            out[field_name] = value.split()[0].rstrip(":;,")
    for field in record.get_fields("017"):
        if (field.get("2") or "").lower() == "doi" and field.get("a"):
            out["DOI"] = str(field.get("a")).strip()
            break
    url = _first(record, "856", "u")
    if url:
        out["URL"] = url.strip()
    for tag, field_name in (("300", "note"), ("330", "abstract"), ("830", "remarks")):
        texts = [" ".join(f.get_subfields("a")).strip() for f in record.get_fields(tag)]
        if any(texts):
            out[field_name] = "\n".join(t for t in texts if t)
    thesis = record.get("328")
    genre = (" ".join(thesis.get_subfields("a", "b")) if thesis else "") or _first(record, "608", "a")
    if genre.strip():
        out["genre"] = v.clean(genre)
    scale = _first(record, "206", "a")
    if scale.strip():
        out["scale"] = v.clean(scale).removeprefix("Scale ")
    host = record.get("463") or record.get("461")
    if host is not None:
        container = _embedded_title(host)
        if container:
            out["container-title"] = title_of(container)
        for field_name, located in v.locators(" ".join(host.get_subfields("v"))).items():
            out.setdefault(field_name, located)
        if host.get("x") and "ISSN" not in out:
            out["ISSN"] = str(host.get("x")).strip()
        if host.get("y") and "ISBN" not in out:
            out["ISBN"] = str(host.get("y")).strip()
    tags = [t.strip() for f in record.get_fields("610") if f.indicator1 == "0" for t in f.get_subfields("a")]
    if v.usable_tags(tags):
        out["tags"] = v.usable_tags(tags)
    translations = []
    for field in record.get_fields("510"):
        text = title_of(" ".join(field.get_subfields("a")))
        remainder = title_of(" ".join(field.get_subfields("e")))
        text = f"{text}: {remainder}" if text and remainder else text or remainder
        if text:
            translations.append({"kind": "translation", "language": v.language_of(field.get("z")) or "und",
                                 "text": text})
    if translations:
        out["titles"] = translations
    out["type"] = _type(record, out)
    return out


# --- writing -------------------------------------------------------------------------


def _general(record: Record, code: str | None) -> str:
    """100 $a, 36 positions: date entered, type and dates of publication, character set UTF-8 ('50')."""
    added = str(record.get("added") or "")
    entered = (added[0:4] + added[5:7] + added[8:10]) if len(added) >= 10 else "        "
    first, last, open_range = v.years_of(record)
    serial = record.get("type") == "periodical"
    if first is None:
        kind, dates = "f", "        "
    elif open_range:
        kind, dates = "a", f"{first:04d}9999"
    elif last and last != first:
        kind, dates = ("b" if serial else "g"), f"{first:04d}{last:04d}"
    else:
        kind, dates = ("a" if serial else "d"), f"{first:04d}    "
    script = "ca" if str(record.get("language") or "").split("-")[0] in _CYRILLIC else "ba"
    return f"{entered}{kind}{dates}   y0{code or 'und'}y50      {script}"


def _sub(code: str, value: object) -> Any:
    from pymarc import Subfield

    return Subfield(code=code, value=v.no_delimiters(str(value)))


def _data(tag: str, ind: str, *pairs: tuple[str, object]) -> Field:
    from pymarc import Field, Indicators

    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]),
                 subfields=[_sub(c, val) for c, val in pairs if val not in (None, "")])


def _name_field(tag: str, name: Name, role: str) -> Field:
    code = ("4", v.UNIMARC_CODES[role])
    if "literal" in name:
        return _data("71" + tag[2], "02", ("a", v.one_line(name["literal"])), code)
    family, given = v.inverted(name)
    return _data(tag, " 1", ("a", v.one_line(family)), ("b", v.one_line(given)),
                 ("d", v.one_line(name.get("suffix") or "")), code)


def from_record(record: Record) -> MarcRecord:
    """A socsopr record as a UNIMARC record (UTF-8, declared in 100 $a/26-29)."""
    from pymarc import Field, Leader
    from pymarc import Record as MarcRecord

    rtype = str(record.get("type") or "book")
    kind = _LEADER_TYPES.get(rtype, "am")
    out = MarcRecord(force_utf8=True)
    out.leader = Leader(f"00000n{kind}0 2200000 i 450 ")
    code = v.language_code(record.get("language"))
    modified = "".join(ch for ch in str(record.get("modified") or "") if ch.isdigit())
    if len(modified) >= 14:
        out.add_ordered_field(Field(tag="005", data=modified[:14] + ".0"))
    component = kind == "aa"
    if record.get("ISBN") and not component:
        out.add_ordered_field(_data("010", "  ", ("a", v.one_line(record["ISBN"]))))
    if record.get("ISSN") and not component:
        out.add_ordered_field(_data("011", "  ", ("a", v.one_line(record["ISSN"]))))
    if record.get("DOI"):
        out.add_ordered_field(_data("017", "70", ("a", v.one_line(record["DOI"])), ("2", "doi")))
    out.add_ordered_field(_data("035", "  ", ("a", v.KEY_PREFIX + str(record["id"]))))
    out.add_ordered_field(_data("100", "  ", ("a", _general(record, code))))
    if code:
        out.add_ordered_field(_data("101", "0 ", ("a", code)))
    title = v.one_line(record.get("title") or "")
    main, sep, remainder = title.partition(": ")
    pairs: list[tuple[str, object]] = [("a", main)]
    if sep:
        pairs.append(("e", remainder))
    if record.get("volume") not in (None, "") and not component:
        pairs.append(("v", v.one_line(record["volume"])))
    out.add_ordered_field(_data("200", "1 ", *pairs))
    if record.get("edition") not in (None, ""):
        out.add_ordered_field(_data("205", "  ", ("a", v.one_line(record["edition"]))))
    if record.get("scale"):
        out.add_ordered_field(_data("206", "  ", ("a", "Scale " + v.one_line(record["scale"]))))
    places = [p.strip() for p in str(record.get("publisher-place") or "").split(";") if p.strip()]
    date = v.date_text(record)
    if places or record.get("publisher") or date:
        out.add_ordered_field(_data("210", "  ", *[("a", v.one_line(p)) for p in places],
                                    ("c", v.one_line(record.get("publisher") or "")), ("d", date)))
    if record.get("number-of-pages"):
        extent = v.extent_text(record["number-of-pages"], str(record.get("language") or ""))
        out.add_ordered_field(_data("215", "  ", ("a", extent)))
    if record.get("collection-title"):
        out.add_ordered_field(_data("225", "2 ", ("a", v.one_line(record["collection-title"])),
                                    ("v", v.one_line(record.get("collection-number") or ""))))
    for field_name, tag in (("note", "300"), ("abstract", "330")):
        for line in str(record.get(field_name) or "").splitlines():
            if line.strip():
                out.add_ordered_field(_data(tag, "  ", ("a", v.one_line(line))))
    if record.get("genre"):
        genre = v.one_line(record["genre"])
        out.add_ordered_field(_data("328", " 0", ("a", genre)) if rtype == "thesis" else _data(
            "608", "  ", ("a", genre)))
    if record.get("original-title"):
        out.add_ordered_field(_data("454", " 1", ("t", v.one_line(record["original-title"]))))
    if record.get("container-title") or (component and v.locator_text(record)):
        out.add_ordered_field(_data(
            "463", " 1", ("t", v.one_line(record.get("container-title") or "")),
            ("v", v.locator_text(record) if component else ""),
            ("x", v.one_line(record.get("ISSN") or "") if component else ""),
            ("y", v.one_line(record.get("ISBN") or "") if component else "")))
    for parallel in record.get("titles") or ():
        if isinstance(parallel, dict) and parallel.get("kind") == "translation" and parallel.get("text"):
            main, sep, rest = v.one_line(parallel["text"]).partition(": ")
            out.add_ordered_field(_data("510", "1 ", ("a", main), ("e", rest if sep else ""),
                                        ("z", v.language_code(parallel.get("language")) or "und")))
    if record.get("title-short"):
        out.add_ordered_field(_data("517", "1 ", ("a", v.one_line(record["title-short"]))))
    for tag in record.get("tags") or ():
        out.add_ordered_field(_data("610", "0 ", ("a", v.one_line(tag))))
    first_author = True
    for role in NAME_ROLES:
        for name in record.get(role) or ():
            tag = "702" if role != "author" else ("700" if first_author else "701")
            first_author = first_author and role != "author"
            out.add_ordered_field(_name_field(tag, name, role))
    for line in str(record.get("remarks") or "").splitlines():
        if line.strip():
            out.add_ordered_field(_data("830", "  ", ("a", v.one_line(line))))
    if record.get("URL"):
        out.add_ordered_field(_data("856", "4 ", ("u", v.one_line(record["URL"]))))
    out.add_ordered_field(_data("900", "  ", ("a", rtype), ("2", v.TYPE_SOURCE)))
    return out
