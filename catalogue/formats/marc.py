"""MARC: MARC 21 in ISO 2709 (``marc``) and MARCXML (``marcxml``), UNIMARC/RUSMARC in ISO 2709 (``unimarc``).

Records are read and written through pymarc; the field mappings are in
``_marc21`` and ``_unimarc`` (and the README's table).

The registry's importers take text and its exporters make text. ISO 2709 is a
byte format: what is written is UTF-8 (leader/09 = ``a``; UNIMARC declares it in
100 $a), which is valid text, so an export is the UTF-8 record as a ``str`` and
writing it as UTF-8 gives back the bytes exactly (its lengths are byte counts).
Reading takes back the bytes (``text.encode("utf-8", "surrogateescape")``: the
import decodes a file that starts like ISO 2709 and is not UTF-8 with
``surrogateescape``), so MARC-8 records (leader/09 blank) and Windows-1251
records (Russian MARC 21 and RUSMARC of the 1990s–2000s) are read too.

A file with one damaged record (a cut file, a wrong length, a bad leader or
directory) is refused whole, with the record's number and byte offset.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from catalogue.errors import ParseError
from catalogue.formats import LINE_KEY, WARNINGS_KEY, exporter, importer
from catalogue.model.record import Record

if TYPE_CHECKING:
    from pymarc import Record as MarcRecord

MARCXML_NAMESPACE = "http://www.loc.gov/MARC21/slim"
_END_OF_RECORD = 0x1D
_LEADER_LENGTH = 24
_MAX_RECORD = 99_999  # five digits of record length in the leader
_MAX_FIELD = 9_999  # four digits of field length in the directory
# What may stand between records in files found in the wild: line ends, NUL padding, DOS end of file.
_BETWEEN = b" \t\r\n\x00\x1a"
# A pair of bytes of the upper half of Windows-1251 (Cyrillic letters, а–я А–Я); MARC-8 has such a
# pair only for stacked diacritics, so many of them mean Windows-1251.
_CP1251_PAIR = re.compile(rb"[\xc0-\xff][\xc0-\xff]")
_TAG = re.compile(r"[0-9A-Za-z]{3}")

Mapping = Callable[["MarcRecord"], Record]


def _quiet_pymarc() -> None:
    """pymarc logs oddities (missing indicators) as warnings: never on socsopr's stderr."""
    import logging

    logger = logging.getLogger("pymarc")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


def _encoding(chunk: bytes, unimarc: bool) -> tuple[bool, str]:
    """(force UTF-8, pymarc's file encoding) for one record; pymarc's 'iso8859-1' means MARC-8."""
    if chunk[9:10] == b"a" and not unimarc:
        return True, "utf-8"
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return True, "utf-8"  # ASCII, or UTF-8 whatever leader/09 says (a common mislabelling)
    if len(_CP1251_PAIR.findall(chunk)) >= 3:
        return False, "cp1251"
    return False, "iso8859-1"


def _chunks(data: bytes, source: str) -> Iterator[tuple[int, int, bytes]]:
    """(number, byte offset, bytes) of each ISO 2709 record; ParseError at the first broken one."""
    pos, number = 0, 0
    while True:
        while pos < len(data) and data[pos] in _BETWEEN:
            pos += 1
        if pos >= len(data):
            return
        number += 1
        where = f"{source}:{number}: record {number} (byte {pos})"
        head = data[pos:pos + 5]
        if not (len(head) == 5 and head.isdigit()):
            raise ParseError([f"{where} does not start with a record length (5 digits): this is not an "
                              "ISO 2709 MARC record, or the file is damaged"])
        length = int(head)
        if length <= _LEADER_LENGTH:
            raise ParseError([f"{where} has a record length of {length} bytes, shorter than its leader"])
        if pos + length > len(data):
            raise ParseError([f"{where} is cut off: its leader says {length} bytes, the file has "
                              f"{len(data) - pos} left"])
        chunk = data[pos:pos + length]
        if chunk[-1] != _END_OF_RECORD:
            raise ParseError([f"{where} does not end with a record terminator (0x1D) where its length "
                              "says: the length is wrong or the file is damaged"])
        yield number, pos, chunk
        pos += length


def _structure_problem(chunk: bytes) -> str | None:
    """What is wrong with a record's leader or directory, before pymarc reads it (None: nothing)."""
    leader = chunk[:_LEADER_LENGTH]
    if not leader.isascii():
        return "its leader is not ASCII"
    base = leader[12:17]
    if not base.isdigit() or not _LEADER_LENGTH < int(base) < len(chunk):
        return f"its leader gives a base address of data {base.decode('ascii')!r} outside the record"
    directory = chunk[_LEADER_LENGTH:int(base) - 1]
    if chunk[int(base) - 1] != 0x1E or len(directory) % 12 or not directory:
        return "its directory is damaged (it must be 12-byte entries ending in 0x1E at the base address)"
    data_length = len(chunk) - int(base)
    for i in range(0, len(directory), 12):
        entry = directory[i:i + 12]
        if not entry.isascii() or not entry[3:].isdigit() or not entry[:3].isalnum():
            return f"directory entry {i // 12 + 1} ({entry!r}) is not a tag, a length and an offset"
        if int(entry[7:12]) + int(entry[3:7]) > data_length:
            return f"directory entry {i // 12 + 1} (tag {entry[:3].decode('ascii')}) points past the end"
    return None


def _read_iso2709(text: str, source: str, mapping: Mapping, unimarc: bool) -> list[Record]:
    import warnings

    from pymarc import Record as MarcRecord

    _quiet_pymarc()
    data = text.encode("utf-8", "surrogateescape")
    records: list[Record] = []
    try:
        for number, pos, chunk in _chunks(data, source):
            where = f"{source}:{number}: record {number} (byte {pos})"
            problem = _structure_problem(chunk)
            if problem:
                raise ParseError([f"{where}: {problem}"])
            force_utf8, encoding = _encoding(chunk, unimarc)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    parsed = MarcRecord(chunk, force_utf8=force_utf8, file_encoding=encoding,
                                        hide_utf8_warnings=True)
            except UnicodeDecodeError:
                raise ParseError([f"{where} is marked UTF-8 (leader/09 'a') but is not UTF-8"]) from None
            except Exception as exc:  # pymarc's errors on hostile bytes are of many kinds
                raise ParseError([f"{where} could not be read: {exc or type(exc).__name__}"]) from None
            records.append(_mapped(parsed, mapping, number, source))
    except ParseError as exc:
        # the records before the damage go with the problem (import --skip-invalid keeps them)
        raise ParseError(exc.problems, records) from None
    return records


# Control characters in a record's text: C0 but line feed (a note's lines), DEL and C1 — among them
# the non-sorting marks of UNIMARC and MARC-8 (0x88/0x89, 0x98/0x9C) around an initial article.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _tidy(value: object) -> object:
    """Text in NFC (MARC-8 decodes to decomposed letters), without control characters."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _CONTROL.sub("", value))
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if isinstance(value, dict):
        return {key: _tidy(item) for key, item in value.items()}
    return value


def _mapped(parsed: MarcRecord, mapping: Mapping, number: int, source: str) -> Record:
    """The socsopr record of a MARC record; a field whose value socsopr cannot take (a year 2099, a
    date 31 February) is left out with a warning (a problem under ``import --strict``)."""
    from catalogue.model.validation import validate_field

    record = {key: _tidy(value) for key, value in mapping(parsed).items()}
    warnings = []
    for name in [n for n in record if n not in ("id", "title", "type")]:
        problems = validate_field(name, record[name])
        if problems:
            warnings.append(f"{source}:{number}: {name} left out: {problems[0]}")
            del record[name]
    if warnings:
        record[WARNINGS_KEY] = warnings
    record[LINE_KEY] = number
    return record


def _read_marcxml(text: str, source: str) -> list[Record]:
    """MARCXML (MARC 21 slim): a collection of records or one record, in its namespace or in none."""
    import xml.etree.ElementTree as ET

    from pymarc import Field, Indicators, Leader, Subfield
    from pymarc import Record as MarcRecord

    from catalogue.formats import _marc21

    try:
        root = ET.fromstring(text.encode("utf-8", "surrogateescape"))
    except ET.ParseError as exc:
        line = getattr(exc, "position", (1, 0))[0]
        raise ParseError([f"{source}:{line}: not well-formed XML ({exc})"]) from None

    def local(element: ET.Element) -> tuple[str, str]:
        namespace, _, name = element.tag.rpartition("}")
        return namespace.lstrip("{"), name

    namespace, name = local(root)
    if namespace not in ("", MARCXML_NAMESPACE) or name not in ("collection", "record"):
        raise ParseError([f"{source}:1: XML, but not MARCXML (the root is <{name}>, not a <collection> or "
                          f"<record> of {MARCXML_NAMESPACE})"])
    found = [root] if name == "record" else [e for e in root if local(e)[1] == "record"]
    records = []
    for number, element in enumerate(found, 1):
        record = MarcRecord(force_utf8=True)
        for child in element:
            kind = local(child)[1]
            tag = child.get("tag", "")
            if kind == "leader":
                leader = (child.text or "").ljust(_LEADER_LENGTH)[:_LEADER_LENGTH]
                if not leader.isascii():
                    raise ParseError([f"{source}:{number}: record {number}: its leader is not ASCII"])
                record.leader = Leader(leader)
            elif kind in ("controlfield", "datafield") and not _TAG.fullmatch(tag):
                raise ParseError([f"{source}:{number}: record {number}: a field's tag {tag!r} is not "
                                  "three letters or digits"])
            elif kind == "controlfield":
                record.add_field(Field(tag=tag, data=child.text or ""))  # type: ignore[no-untyped-call]
            elif kind == "datafield":
                subfields = [Subfield(code=(s.get("code") or " ")[:1], value=s.text or "")
                             for s in child if local(s)[1] == "subfield"]
                indicators = Indicators((child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1])
                record.add_field(Field(tag=tag, indicators=indicators, subfields=subfields))  # type: ignore[no-untyped-call]
        records.append(_mapped(record, _marc21.to_record, number, source))
    return records


# --- writing -------------------------------------------------------------------------


def _fitted(record: MarcRecord) -> bytes:
    """The record within ISO 2709's limits (pymarc writes past them, its issue #42): a text over 9,999
    bytes split into fields of 2,000 characters; past 99,999 bytes a record loses its last note lines,
    then remarks, then abstract lines, as many as it must."""
    from pymarc import Field, Subfield

    fields = []
    for field in record.fields:
        values = [s.value for s in getattr(field, "subfields", ())]
        if len("".join(values).encode("utf-8")) + 40 <= _MAX_FIELD:
            fields.append(field)
            continue
        for sub in field.subfields:
            for start in range(0, len(sub.value), 2000):
                fields.append(Field(tag=field.tag, indicators=field.indicators,
                                    subfields=[Subfield(code=sub.code, value=sub.value[start:start + 2000])]))
    record.fields = fields
    data = record.as_marc()
    if len(data) <= _MAX_RECORD:
        return data
    size = len(data)
    for tags in (("500", "300"), ("590", "830"), ("520", "330")):
        while size > _MAX_RECORD:
            last = next((f for f in reversed(record.fields) if f.tag in tags), None)
            if last is None:
                break
            size -= 12 + len(last.as_marc("utf-8"))
            record.fields.remove(last)
    return record.as_marc()


def _write_iso2709(records: Iterable[Record], mapping: Callable[[Record], MarcRecord], unimarc: bool) -> str:
    out = []
    for record in records:
        data = _fitted(mapping(record))
        if unimarc:  # pymarc sets MARC 21's leader/09 and /20-23; UNIMARC leaves 09 blank, writes "450 "
            data = data[:9] + b" " + data[10:20] + b"450 " + data[24:]
        out.append(data.decode("utf-8"))
    return "".join(out)


@exporter("marc", description="MARC 21 records in ISO 2709, UTF-8 (library systems)", extension="mrc")
def export_marc(records: Iterable[Record]) -> str:
    from catalogue.formats import _marc21

    return _write_iso2709(records, _marc21.from_record, unimarc=False)


@importer("marc", description="MARC 21 records in ISO 2709 (UTF-8 or MARC-8)", extension="mrc")
def import_marc(text: str, source: str) -> list[Record]:
    from catalogue.formats import _marc21

    return _read_iso2709(text, source, _marc21.to_record, unimarc=False)


@exporter("unimarc", description="UNIMARC/RUSMARC records in ISO 2709, UTF-8 (Russian library systems)",
          extension="iso")
def export_unimarc(records: Iterable[Record]) -> str:
    from catalogue.formats import _unimarc

    return _write_iso2709(records, _unimarc.from_record, unimarc=True)


@importer("unimarc", description="UNIMARC/RUSMARC records in ISO 2709 (UTF-8 or Windows-1251)",
          extension="iso")
def import_unimarc(text: str, source: str) -> list[Record]:
    from catalogue.formats import _unimarc

    return _read_iso2709(text, source, _unimarc.to_record, unimarc=True)


@exporter("marcxml", description="MARC 21 records in MARCXML (MARC 21 slim)", extension="xml")
def export_marcxml(records: Iterable[Record]) -> str:
    import xml.etree.ElementTree as ET

    from pymarc.marcxml import record_to_xml_node

    from catalogue.formats import _marc21

    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<collection xmlns="{MARCXML_NAMESPACE}">\n']
    for record in records:
        node = record_to_xml_node(_marc21.from_record(record))  # type: ignore[no-untyped-call]
        parts.append(ET.tostring(node, encoding="unicode") + "\n")
    parts.append("</collection>\n")
    return "".join(parts)


@importer("marcxml", description="MARC 21 records in MARCXML", extension="xml")
def import_marcxml(text: str, source: str) -> list[Record]:
    return _read_marcxml(text, source)
