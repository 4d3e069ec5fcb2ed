"""Russian names in the case a GOST statement of responsibility governs, and read back to the nominative.

The table below is made by hand, from Russian grammar, not from the analyser: each family name
in the nominative, the given name (initials, or written out where the gender must come from it),
and its genitive. Every phrase of ``responsibility.PHRASES`` is checked with every row, both
ways: written (``под ред. И. А. Овсянникова``, ``сост. И. А. Овсянников``) and read back.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.gost.grammar import GENITIVE, NOMINATIVE, inflect_family, nominative_family
from catalogue.gost.parse import parse_gost_line
from catalogue.gost.render import render
from catalogue.gost.responsibility import PHRASE_OF_ROLE, PHRASES, read_statement, write_statement
from catalogue.model.names import initials
from tests.conftest import run, run_process

# family (nominative), given, genitive. Groups: men; women; indeclinable (Ukrainian -ко, old
# genitive -ово/-аго, -ых/-их); foreign names in Cyrillic that Russian does not decline (vowel-final)
# and in Latin script (never changed); hyphenated; then the documented rules for what the
# initials alone cannot decide: a consonant-final name that a man's and a woman's forms would
# write differently stays in the nominative (Маркс К., Ковальчук Л.) unless the given name shows
# the gender; a hyphenated name with a part that is no name (Прибой) stays whole.
TABLE = [
    ("Овсянников", "И. А.", "Овсянникова"), ("Козловский", "С. А.", "Козловского"), ("Ясин", "И.", "Ясина"),
    ("Крылов", "И. А.", "Крылова"), ("Толстой", "Л. Н.", "Толстого"), ("Гоголь", "Н. В.", "Гоголя"),
    ("Достоевский", "Ф. М.", "Достоевского"), ("Бахтин", "М. М.", "Бахтина"), ("Аверинцев", "С. С.", "Аверинцева"),
    ("Лихачев", "Д. С.", "Лихачева"), ("Лихачёв", "Д. С.", "Лихачёва"), ("Пастернак", "Б. Л.", "Пастернака"),
    ("Ильф", "И. А.", "Ильфа"), ("Горький", "М.", "Горького"), ("Белый", "А.", "Белого"), ("Глинка", "М. И.", "Глинки"),
    ("Окуджава", "Б. Ш.", "Окуджавы"), ("Троцкий", "Л. Д.", "Троцкого"), ("Маркс", "Карл", "Маркса"),
    ("Крылова", "Л.", "Крыловой"), ("Цветаева", "М. И.", "Цветаевой"), ("Ахматова", "А. А.", "Ахматовой"),
    ("Толстая", "Т. Н.", "Толстой"), ("Ахмадулина", "Б. А.", "Ахмадулиной"), ("Пугачёва", "А. Б.", "Пугачёвой"),
    ("Блок", "Любовь Дмитриевна", "Блок"), ("Мандельштам", "Надежда Яковлевна", "Мандельштам"),
    ("Шевченко", "Т. Г.", "Шевченко"), ("Дурново", "Н. Н.", "Дурново"), ("Живаго", "Ю.", "Живаго"),
    ("Черных", "Е.", "Черных"), ("Седых", "К.", "Седых"), ("Бойко", "В.", "Бойко"),
    ("Гёте", "И. В.", "Гёте"), ("Дюма", "А.", "Дюма"), ("Золя", "Э.", "Золя"), ("Гюго", "В.", "Гюго"),
    ("Smith", "J.", "Smith"), ("Ovsyannikov", "I. A.", "Ovsyannikov"), ("Müller", "H.", "Müller"),
    ("Римский-Корсаков", "Н. А.", "Римского-Корсакова"), ("Салтыков-Щедрин", "М. Е.", "Салтыкова-Щедрина"),
    ("Петров-Водкин", "К. С.", "Петрова-Водкина"), ("Мусин-Пушкин", "А. И.", "Мусина-Пушкина"),
    ("Склодовская-Кюри", "М.", "Склодовской-Кюри"), ("Бонч-Бруевич", "Владимир Дмитриевич", "Бонч-Бруевича"),
    ("Грум-Гржимайло", "Г. Е.", "Грум-Гржимайло"),
    ("Маркс", "К.", "Маркс"), ("Ковальчук", "Л.", "Ковальчук"), ("Ковальчук", "Леонид", "Ковальчука"),
    ("Ковальчук", "Лидия", "Ковальчук"), ("Новиков-Прибой", "А. С.", "Новиков-Прибой"),
]

MEN = TABLE[:19]
WOMEN = TABLE[19:27]
INDECLINABLE = TABLE[27:37]
LATIN = TABLE[37:40]
HYPHENATED = TABLE[40:47]


def test_the_table_has_at_least_thirty_real_surnames_of_every_kind() -> None:
    assert len({family for family, _given, _gen in TABLE}) >= 30
    assert all(len(group) >= 3 for group in (MEN, WOMEN, INDECLINABLE, LATIN, HYPHENATED))
    assert all("-" in family for family, _g, _gen in HYPHENATED)


def _expected(phrase_case: str, family: str, genitive: str) -> str:
    return genitive if phrase_case == GENITIVE else family


@pytest.mark.parametrize("phrase", PHRASES, ids=[p.words for p in PHRASES])
@pytest.mark.parametrize(("family", "given", "genitive"), TABLE, ids=[f"{f} {g}" for f, g, _x in TABLE])
def test_each_phrase_writes_the_name_in_its_case_and_reads_it_back(
    phrase: object, family: str, given: str, genitive: str
) -> None:
    from catalogue.gost.responsibility import Phrase

    assert isinstance(phrase, Phrase)
    text = write_statement(phrase, [{"family": family, "given": given}])
    assert text == f"{phrase.words} {initials(given)} {_expected(phrase.case, family, genitive)}"
    read, people = read_statement(text)
    assert read == phrase
    assert people == [{"family": family, "given": initials(given)}]


def test_the_cases_the_phrases_govern() -> None:
    cases = {p.words: p.case for p in PHRASES}
    for words in ("под ред.", "под общ. ред.", "пер.", "предисл.", "вступ. ст.", "коммент.", "примеч.", "ил."):
        assert cases[words] == GENITIVE, words
    for words in ("ред.", "отв. ред.", "гл. ред.", "сост.", "авт. предисл.", "худож."):
        assert cases[words] == NOMINATIVE, words
    assert {r: p.words for r, p in PHRASE_OF_ROLE.items()} == {
        "editor": "под ред.", "compiler": "сост.", "translator": "пер."}


def test_several_names_each_in_the_case() -> None:
    people = [{"family": "Овсянников", "given": "И. А."}, {"family": "Крылова", "given": "Л."},
              {"family": "Шевченко", "given": "Т. Г."}]
    text = write_statement(PHRASES[2], people)
    assert text == "под ред. И. А. Овсянникова, Л. Крыловой, Т. Г. Шевченко"
    assert read_statement(text)[1] == people


def test_organisations_and_initials_are_never_changed() -> None:
    text = write_statement(PHRASES[2], [{"literal": "Институт философии"}])
    assert text == "под ред. Институт философии"
    assert inflect_family("Овсянников", GENITIVE, "И. А.") == "Овсянникова"
    assert nominative_family("Ovsyannikova", GENITIVE) == "Ovsyannikova"


def test_a_written_out_given_name_decides_the_gender() -> None:
    assert inflect_family("Ковальчук", GENITIVE, "Леонид Ильич") == "Ковальчука"
    assert inflect_family("Ковальчук", GENITIVE, "Лидия Ильинична") == "Ковальчук"
    assert inflect_family("Ковальчук", GENITIVE, "Л. И.") == "Ковальчук"  # nominative-safe
    assert inflect_family("Мандельштам", GENITIVE, "Осип Эмильевич") == "Мандельштама"


# --- records ---------------------------------------------------------------------------------


RECORD = {
    "id": "ruki2005", "type": "pamphlet", "title": "Руки прочь от образования!", "language": "ru",
    "editor": [{"family": "Овсянников", "given": "И. А."}],
    "compiler": [{"family": "Козловский", "given": "С. А."}],
    "translator": [{"family": "Крылова", "given": "Л."}], "custom": {"original-language": "de"},
    "publisher-place": "Москва", "issued": {"date-parts": [[2005]]}, "number-of-pages": 47,
}
LINE = ("Руки прочь от образования! / под ред. И. А. Овсянникова ; сост. С. А. Козловский ; "
        "пер. с нем. Л. Крыловой. — М., 2005. — 47 с.")


def test_a_russian_record_renders_in_russian_by_default_with_names_in_case() -> None:
    assert render(RECORD, edition="gost-2003") == LINE  # 7.1-2003 abbreviates Москва (5.7.6)
    assert render(RECORD) == LINE.replace("— М.,", "— Москва,")  # 7.0.100-2018 keeps it in full (6.4.3)
    assert render(RECORD, "en-US") == (
        "Руки прочь от образования! / Ed. И. А. Овсянников ; Comp. С. А. Козловский ; "
        "Transl. from German Л. Крылова. — Moscow, 2005. — 47 p."
    )
    assert render({**RECORD, "language": "en"}).endswith("— Moscow, 2005. — 47 p.")


def test_the_line_parses_back_to_the_nominative() -> None:
    parsed = parse_gost_line(LINE)
    record = parsed.record
    assert record["editor"] == [{"family": "Овсянников", "given": "И. А."}]
    assert record["compiler"] == [{"family": "Козловский", "given": "С. А."}]
    assert record["translator"] == [{"family": "Крылова", "given": "Л."}]
    assert record["note"] == "Translated from German."
    assert any("genitive of 'Овсянников'" in g for g in parsed.guesses)


def test_a_phrase_without_a_field_is_kept_beside_the_record_in_the_nominative() -> None:
    parsed = parse_gost_line("Эстетика / сост. С. Г. Бочаров ; примеч. С. С. Аверинцева. — М., 1986. — 445 с.")
    assert parsed.record["compiler"] == [{"family": "Бочаров", "given": "С. Г."}]
    assert "примеч. С. С. Аверинцева" in parsed.unplaced
    assert "author" not in parsed.record


_SURNAMES = st.sampled_from([(f, g) for f, g, _gen in TABLE])
_INITIALS = st.lists(st.sampled_from("АБВГДЕИКЛМНОПРСТЮЯ"), min_size=1, max_size=2).map(
    lambda cs: " ".join(c + "." for c in cs))


@given(_SURNAMES, _INITIALS, st.sampled_from(PHRASES))
def test_inflect_then_read_back_gives_the_nominative(name: tuple[str, str], other: str, phrase: object) -> None:
    from catalogue.gost.responsibility import Phrase

    assert isinstance(phrase, Phrase)
    family, given_name = name
    # the table's given name where it decides the gender, other initials where it does not
    given = given_name if not given_name.endswith(".") else other
    text = write_statement(phrase, [{"family": family, "given": given}])
    assert read_statement(text)[1] == [{"family": family, "given": initials(given)}]


# --- the command line ------------------------------------------------------------------------


def test_cite_of_a_russian_record_without_options() -> None:
    code, _out, err = run("import", "--format", "gost", "-", input=LINE + "\n")
    assert code == 0, err
    code, out, err = run("search", "Руки")
    assert code == 0, err
    key = out.splitlines()[1].split("\t")[0]
    code, out, err = run("show", key, "--format", "json")
    assert code == 0, err
    assert '"family": "Овсянников"' in out and '"publisher-place": "М."' in out
    code, out, err = run("cite", key)
    assert code == 0, err
    assert out == f"1. {LINE}\n"
    for text in ("М.", "с.", "под ред. И. А. Овсянникова", "пер. с нем. Л. Крыловой"):
        assert text in out
    code, out, _err = run("cite", key, "--locale", "en-US")
    assert "Ed. И. А. Овсянников" in out and "— Moscow, 2005. — 47 p." in out


def test_cite_in_a_real_process() -> None:
    done = run_process("import", "--format", "gost", "-", input=LINE + "\n")
    assert done.returncode == 0, done.stderr
    done = run_process("cite", "ovsyannikov2005ruki")
    assert done.returncode == 0, done.stderr
    assert "под ред. И. А. Овсянникова" in done.stdout and "— М., 2005. — 47 с." in done.stdout


def test_commands_that_decline_no_name_never_load_the_analyser() -> None:
    done = run_process("cite", "ovsyannikov2006why", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert done.returncode == 0, done.stderr
    assert "— М., 2006. — 36 с." in done.stdout
    assert not re.search(r"\bpymorphy3\b", done.stderr)


@pytest.mark.slow
def test_the_analyser_loads_quickly() -> None:
    code = "import time; t = time.perf_counter(); from catalogue.gost.grammar import _analyser; _analyser(); print(time.perf_counter() - t)"
    import subprocess
    import sys

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(done.stdout) < 2.0, done.stdout  # a generous bound for a shared machine
    assert time.perf_counter() - start < 10
