"""The electronic-resource elements of a description: URL, access date, mode of access.

GOST 7.1-2003 (7.1.8? no: 5.8, notes area) writes ``— Режим доступа: http://… (дата обращения:
ДД.ММ.ГГГГ)``; GOST R 7.0.100-2018 (6.10.? "электронный адрес") ``— URL: … (дата обращения:
ДД.ММ.ГГГГ)``; lists under 7.1-2003 also give the access date as a note of its own,
``— Дата обращения: ДД.ММ.ГГГГ`` (Belarusian lists ``— Дата доступа: ДД.ММ.ГГГГ``), whose label
is kept (``_date_note``) for the line's practice. They are read wherever they stand and taken out
of the line before its areas are read.
"""

from __future__ import annotations

import re
from typing import Any

_URL = re.compile(
    r"(?:\.?\s*[—–-]\s*)?(?:URL|Режим доступа|Access mode|Available at)\s*:?\s*(?P<url>(?:https?|ftp)://\S+)",
    re.IGNORECASE)
_ACCESSED = re.compile(
    r"(?:\.?\s*[—–-]\s*)?(?P<open>\(?)\s*(?P<label>дата обращения|дата доступа|accessed|access date)\s*:?\s*"
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\s*\)?",
    re.IGNORECASE,
)
_ACCESS_MODE = re.compile(r"(?:\.?\s*[—–-]\s*)?,?\s*(?:Режим доступа|Access mode)\s*:\s*"
                          r"(?P<mode>(?:для|свободный|по|for|free)\b.*?)(?=\.?\s+[—–]\s|\.?\s*$)",
                          re.IGNORECASE)


def read_electronic(line: str) -> tuple[str, dict[str, Any]]:
    """The line without its URL, access date and mode of access, and the fields they give."""
    fields: dict[str, Any] = {}
    url = _URL.search(line)
    if url:
        address = url.group("url").rstrip(".,;)")
        fields["URL"] = address
        said_url = url.group(0).lstrip(" .—–-").upper().startswith("URL")
        fields["_label"] = "URL" if said_url else "Режим доступа"
        line = line[:url.start()] + line[url.start():].replace(url.group(0), "", 1)
    accessed = _ACCESSED.search(line)
    if accessed:
        day, month, year = int(accessed.group("d")), int(accessed.group("m")), int(accessed.group("y"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            fields["accessed"] = {"date-parts": [[year, month, day]]}
            if not accessed.group("open"):  # "— Дата обращения: 15.03.2024": a note of its own (5.8)
                fields["_date_note"] = accessed.group("label")
            line = line[:accessed.start()] + line[accessed.end():]
    mode = _ACCESS_MODE.search(line)
    if mode:
        fields["_access"] = mode.group("mode").strip().rstrip(".")
        line = line[:mode.start()] + line[mode.end():]
    line = re.sub(r"\s*\.\s*\.\s*$|\s+[—–]\s*\.?\s*$|\s+\.$", ".", line.strip()).strip()
    line = re.sub(r"\s+", " ", line)
    return line, fields
