"""Generate realistic catalogues for benchmarks: half Cyrillic, half Latin, seeded and repeatable.

    python tests/benchmarks/generate.py 10000 /tmp/cat10k.json

Names are built from roots and suffixes (so the vocabulary grows with the
catalogue as a real one does); titles mix common words of the field with rarer
ones; some records have editors, translators, several places, tags and notes.
A few records carry the name Овсянников / Ovsyannikov and the word socialism,
which the benchmark searches for.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOTS_RU = ("Иван", "Петр", "Смирн", "Кузнец", "Поп", "Сокол", "Лебед", "Козл", "Новик", "Мороз",
            "Волк", "Алексе", "Семён", "Егор", "Павл", "Степан", "Никола", "Орл", "Андре", "Макар",
            "Захар", "Зайц", "Соловь", "Борис", "Яковл", "Григорь", "Роман", "Воробь", "Серге", "Фрол",
            "Дмитри", "Корол", "Гус", "Кисел", "Ильин", "Максим", "Поляк", "Сорок", "Виноград", "Ковал",
            "Бел", "Медвед", "Антон", "Тарас", "Жук", "Баран", "Филипп", "Комар", "Давыд", "Богдан",
            "Осип", "Сидор", "Матве", "Тит", "Марк", "Мирон", "Крыл", "Кулик", "Карп", "Влас", "Мельник",
            "Денис", "Гаврил", "Тихон", "Казак", "Данил", "Савель", "Тимофе", "Черн", "Абрам", "Щербак",
            "Назар", "Калин", "Быч", "Масл", "Родион", "Лазар", "Ворон", "Клим", "Голуб", "Кудрявц",
            "Прохор", "Наум", "Потап", "Журавл", "Овсянник", "Трофим", "Леон", "Собол", "Ермак", "Гончар")
SUFFIXES_RU = ("ов", "ев", "ин", "ский", "цкий", "енко", "ова", "ева", "ина", "овский", "ович", "ых")
ROOTS_EN = ("Harri", "Cliff", "Mandel", "Deutsch", "Callinicos", "Gluckstein", "Draper", "Cox",
            "Trotsk", "Serge", "Broue", "Frank", "Lowy", "Bensaid", "Hallas", "Birchall", "Kidron",
            "Binns", "Haynes", "Cole", "Miliband", "Anderson", "Thompson", "Hobsbawm", "Smith", "Brown",
            "Taylor", "Wilson", "Walker", "Wright", "Robinson", "Thomps", "White", "Hughes", "Edwards")
SUFFIXES_EN = ("", "s", "son", "er", "ley", "man", "ford", "ton", "ing", "ell")
GIVEN_RU = ("Илья", "Сергей", "Андрей", "Мария", "Анна", "Юрий", "Ольга", "Пётр", "Елена", "Дмитрий")
GIVEN_EN = ("J.", "K.", "Tony", "Alex", "Ernest", "Paul", "Chris", "Mary", "Daniel", "Ruth")
WORDS_RU = ("революция", "социализм", "рабочий", "класс", "борьба", "история", "партия", "кризис",
            "капитализм", "власть", "профсоюз", "движение", "теория", "практика", "стачка", "государство",
            "демократия", "свобода", "экономика", "общество", "труд", "война", "мир", "интернационал",
            "молодёжь", "студент", "союз", "оппозиция", "программа", "манифест", "очерк", "статья")
WORDS_EN = ("revolution", "socialism", "workers", "class", "struggle", "history", "party", "crisis",
            "capitalism", "power", "union", "movement", "theory", "practice", "strike", "state",
            "democracy", "freedom", "economy", "society", "labour", "war", "peace", "international",
            "youth", "students", "alliance", "opposition", "programme", "manifesto", "essays", "notes")
SYLLABLES = ("ka", "lo", "mi", "ren", "tor", "vas", "zel", "pri", "dun", "gra", "sho", "bel", "nik",
             "var", "ost", "lem", "pul", "tri", "sam", "ved")
PLACES_RU = ("Москва", "Санкт-Петербург", "Ярославль", "Воронеж", "Казань", "Новосибирск", "Самара")
PLACES_EN = ("London", "Moscow", "New York", "Paris", "Berlin", "Chicago", "Glasgow", "Amsterdam")
PUBLISHERS_RU = ("Прогресс", "Политиздат", "Наука", "Мысль", "Праксис", "Соцсопр")
PUBLISHERS_EN = ("Bookmarks", "Verso", "Pluto Press", "Haymarket", "Merlin Press", "Penguin")
TYPES = ("book", "book", "book", "pamphlet", "pamphlet", "article-journal", "chapter", "periodical")
TAGS = ("theory", "history", "russia", "labour", "economics", "biography", "archive", "translated")


def _name(rng: random.Random, cyrillic: bool) -> dict[str, str]:
    if rng.random() < 0.002:
        return {"family": "Овсянников" if cyrillic else "Ovsyannikov", "given": "И. А." if cyrillic else "I. A."}
    if cyrillic:
        return {"family": rng.choice(ROOTS_RU) + rng.choice(SUFFIXES_RU), "given": rng.choice(GIVEN_RU)}
    return {"family": rng.choice(ROOTS_EN) + rng.choice(SUFFIXES_EN), "given": rng.choice(GIVEN_EN)}


def _rare_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _title(rng: random.Random, cyrillic: bool) -> str:
    words = list(WORDS_RU if cyrillic else WORDS_EN)
    chosen = rng.sample(words, rng.randint(2, 6))
    if rng.random() < 0.5:
        chosen.insert(rng.randrange(len(chosen) + 1), _rare_word(rng))
    title = " ".join(chosen).capitalize()
    if rng.random() < 0.3:
        title += ": " + " ".join(rng.sample(words, rng.randint(1, 4)))
    return title


def record(n: int, rng: random.Random) -> dict[str, object]:
    """The n-th generated record."""
    cyrillic = n % 2 == 0
    year = rng.randint(1905, 2024)
    rec: dict[str, object] = {
        "id": f"r{n:06d}y{year}",
        "type": rng.choice(TYPES),
        "title": _title(rng, cyrillic),
        "issued": {"date-parts": [[year]]},
        "language": "ru" if cyrillic else "en",
        "added": "2024-01-01T00:00:00Z",
        "modified": "2024-01-01T00:00:00Z",
    }
    if rng.random() < 0.9:
        rec["author"] = [_name(rng, cyrillic) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
    if rng.random() < 0.15:
        rec["editor"] = [_name(rng, cyrillic)]
    if rng.random() < 0.05:
        rec["translator"] = [_name(rng, not cyrillic)]
    places = PLACES_RU if cyrillic else PLACES_EN
    rec["publisher-place"] = "; ".join(rng.sample(places, rng.choice((1, 1, 1, 2))))
    if rng.random() < 0.8:
        rec["publisher"] = rng.choice(PUBLISHERS_RU if cyrillic else PUBLISHERS_EN)
    if rec["type"] in ("book", "pamphlet"):
        rec["number-of-pages"] = rng.randint(8, 600)
    if rng.random() < 0.4:
        rec["tags"] = sorted(rng.sample(TAGS, rng.randint(1, 3)))
    if rng.random() < 0.25:
        rec["note"] = " ".join(rng.choice(WORDS_RU + WORDS_EN) for _ in range(rng.randint(4, 12)))
    if rng.random() < 0.01:
        rec["title"] = f"Why socialism? {rec['title']}"
    return rec


def generate(count: int, seed: int = 1917) -> dict[str, dict[str, object]]:
    rng = random.Random(seed)
    records = (record(n, rng) for n in range(count))
    return {str(r["id"]): r for r in records}


def write_catalogue(count: int, path: Path) -> Path:
    """Write a catalogue of ``count`` generated records in the store's own format."""
    from catalogue.store.files import atomic_write
    from catalogue.store.layout import dump_records

    atomic_write(path, dump_records(dict(sorted(generate(count).items()))))
    return path


if __name__ == "__main__":
    write_catalogue(int(sys.argv[1]), Path(sys.argv[2]))
