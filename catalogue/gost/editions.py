"""The two editions of the rules socsopr writes: GOST R 7.0.100-2018 (``gost``, the default) and
GOST 7.1-2003 as reference lists print it (``gost-2003``). Each flag names the clause it follows."""

from __future__ import annotations

from typing import NamedTuple

from catalogue.errors import UnknownFormat
from catalogue.model.names import Name, format_gost, initials


class Edition(NamedTuple):
    """What differs between the editions; the clause of each is in ``EDITIONS``."""

    name: str
    title: str
    heading_comma: bool  # "Колпак, Е. П." (7.0.100-2018 6.1.2) or "Колпак Е. П."
    repeat_authors: bool  # the heading's author again after "/" (7.0.100-2018 6.2.6)
    abbreviate_places: bool  # М., СПб. (7.1-2003 5.7.6 with 7.0.12); 7.0.100-2018 keeps the full name
    medium_area: bool  # "— Текст : электронный" (7.0.100-2018 6.8) or "[Электронный ресурс]" (7.1-2003 5.1.6)
    heading_authors: int  # authors in a heading that is repeated after "/": 1 (7.0.100-2018 6.1.2), up to 3
    # (GOST R 7.0.5-2008 4.6.1); a heading not repeated holds all of one to three
    access_label: str  # "URL" (7.0.100-2018 6.10, GOST R 7.0.5-2008) or "Режим доступа" (7.1-2003 5.8)
    # empty: the access date in parentheses after the address, "(дата обращения: …)" (GOST R 7.0.5-2008,
    # 7.0.100-2018); else the label of the note of its own that carries it, "Дата обращения" (7.1-2003 5.8)
    access_date_note: str = ""
    archive_note: bool = False  # the keeper of an unpublished document "(Архив …)" or after "//" (parts)
    # role -> the phrase a line writes for it where it is not "под ред."/"сост." (responsibility.PHRASES)
    role_phrases: tuple[tuple[str, str], ...] = ()
    heading_and: bool = False  # the last two heading names joined by "и"/"and" (older lists) or a comma


EDITIONS: dict[str, Edition] = {
    "gost": Edition("gost", "GOST R 7.0.100-2018", True, True, False, True, 1, "URL"),
    "gost-2003": Edition("gost-2003", "GOST 7.1-2003 (reference lists, GOST R 7.0.5-2008)",
                         False, False, True, False, 3, "Режим доступа"),
}
DEFAULT_EDITION = "gost"


class Practice(NamedTuple):
    """Where the standards leave a choice, the choice one printed line made (None: the edition's own).
    A parsed line carries it (``GostParse.practice``) so that it can be written back the same way.

    - ``repeat_authors``: 7.1-2003 5.2.6 names the authors again after `` / ``; GOST R 7.0.5-2008
      4.7.7 lets a list leave them out.
    - ``heading_authors``: one (7.0.100-2018 6.1.2) or up to three (7.0.5-2008 4.6.1) in the heading.
    - ``abbreviate_places``: 7.1-2003 5.7.6 *allows* ``М.``, ``СПб.`` (and 7.0.12); ``Москва`` is as right.
    - ``access_label``: ``URL:`` (7.0.5-2008, 7.0.100-2018) or ``Режим доступа:`` (7.1-2003 5.8).
    - ``access_date_note``: the access date ``(дата обращения: 15.03.2024)`` after the address
      (GOST R 7.0.5-2008, 7.0.100-2018), or, as lists under 7.1-2003 print it, a note of its own
      after the note on the mode of access, notes being separated by ``. — `` (7.1-2003 5.8):
      ``— Дата обращения: 15.03.2024`` (``Дата доступа`` in Belarusian lists); the label it had.
    - ``archive_note``: where an unpublished document is kept, after ``//`` as a part's host
      (7.1-2003 7.1.5), or as a note in parentheses after its title (``Записки (Государственный
      музей Л. Н. Толстого)``), as the lists of the Tolstoy project print it (``parts.archive_area``).
    - ``role_phrases``: the phrase before an editor's or compiler's name. 7.1-2003 5.2.6 and 7.0.12
      give several for one role (``под ред.`` with the genitive, ``ред.``, ``отв. ред.`` with the
      nominative); the one printed is kept, with its capital where older lists write one
      (``/ Под ред. И. И. Ясинского``, ``/ Ред. М. К. Лемке``).
    - ``medium_area``: an electronic resource's ``— Текст : электронный`` (7.0.100-2018 6.8) or the
      general material designation ``[Электронный ресурс]`` after the title (7.1-2003 5.1.6), which
      lines otherwise written by 7.0.100-2018 still use.
    - ``heading_and``: the names of a heading are separated by commas (GOST R 7.0.5-2008 4.6.1,
      ``Боткин В. П., Тургенев И. С.``); older lists join the last two by ``и``
      (``Боткин В. П. и Тургенев И. С.``), written back so (``and`` in an English description).
    """

    repeat_authors: bool | None = None
    heading_authors: int | None = None
    abbreviate_places: bool | None = None
    access_label: str | None = None
    access_date_note: str | None = None
    archive_note: bool | None = None
    role_phrases: tuple[tuple[str, str], ...] | None = None
    heading_and: bool | None = None
    medium_area: bool | None = None

    def apply(self, rules: Edition) -> Edition:
        """The edition's rules with this line's choices in place of its defaults."""
        return rules._replace(**{k: v for k, v in self._asdict().items() if v is not None})


def edition_rules(name: str) -> Edition:
    """The edition called ``name``; ``UnknownFormat`` (a usage problem) for any other name."""
    try:
        return EDITIONS[name]
    except KeyError:
        raise UnknownFormat(name, list(EDITIONS), "GOST edition") from None


def heading_name(name: Name, rules: Edition) -> str:
    """A heading name: ``Family, I. O.`` in 7.0.100-2018 (6.1.2), ``Family I. O.`` in 7.1-2003 lists."""
    text = format_gost(name)
    given = initials(str(name.get("given") or ""))
    if rules.heading_comma and "literal" not in name and given and text.endswith(given):
        return f"{text[: -len(given)].rstrip()}, {given}"
    return text
