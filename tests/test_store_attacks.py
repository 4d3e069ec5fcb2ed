"""Attacks on the store (issue #11): each test says what the attacker does and checks the store's answer.

Links and hard links, hand-edited files with duplicate keys or ids that are not their keys, a history
that could lie (failed writes, records changed by hand, a copied or forged journal), exports aimed at
the store's own files, Ctrl-C, a full disk, read-only files, lock waits and mistyped ``--db`` names.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from catalogue import Catalogue
from catalogue.errors import HistoryConflict, StoreError, StoreLocked
from catalogue.model.validation import validate
from catalogue.store import files, layout
from catalogue.store.creating import init_catalogue
from catalogue.store.history import history_path, state_of
from tests.conftest import process_argv, run, run_process


def book(key: str, title: str | None = None) -> dict[str, object]:
    return {"id": key, "type": "book", "title": title or key.capitalize(), "issued": {"date-parts": [[2001]]}}


def catalogue_with(path: Path, *keys: str) -> Path:
    """An empty catalogue at ``path`` with one saved change per key."""
    init_catalogue(path, empty=True)
    for key in keys:
        with Catalogue.open(path, writable=True) as cat:
            cat.add(book(key))
            cat.save(f"add {key}")
    return path


def folder_state(folder: Path) -> dict[str, bytes | None]:
    """Every entry of a folder: bytes of files (None for anything else), lock files left out."""
    return {
        p.name: (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
        for p in sorted(folder.iterdir()) if not p.name.endswith(".lock")
    }


def one_sentence(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith("."), err
    assert "Traceback" not in err


# --- 1. links ------------------------------------------------------------------------------------


def test_a_write_through_a_symlink_changes_the_real_file_and_keeps_the_link(tmp_path: Path) -> None:
    """Attack: the catalogue is reached through a link in another folder. Writing must not replace the
    link with a private copy; history and lock belong beside the real file."""
    real = catalogue_with(tmp_path / "data" / "real.json")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "link.json"
    link.symlink_to(real)
    code, out, err = run("add", "--title", "Through the link", "--year", "2003", "--db", str(link))
    assert code == 0, err
    key = out.strip()
    assert link.is_symlink() and os.readlink(link) == str(real)
    with Catalogue.open(real) as cat:
        assert key in cat
        assert [c.command for c in cat.history()] == [f"add {key}"]
    assert history_path(real).exists() and files.lock_path(real).exists()
    assert sorted(p.name for p in link.parent.iterdir()) == ["link.json"]  # no history or lock by the link
    code, _out, err = run("undo", "--yes", "--db", str(link))
    assert code == 0, err
    assert link.is_symlink() and key not in Catalogue.open(real)


def test_a_link_and_the_real_name_exclude_each_other(tmp_path: Path) -> None:
    """Attack: two writers name one file differently (a link and the real path). The lock must be one."""
    real = catalogue_with(tmp_path / "real.json")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    before = real.read_bytes()
    with Catalogue.open(link, writable=True, holder="socsopr hold"):
        with pytest.raises(StoreLocked, match="is locked by process"):
            Catalogue.open(real, writable=True, lock_timeout=0.2)
        done = run_process("add", "--title", "Waiting", "--db", str(real), env={"SOCSOPR_LOCK_TIMEOUT": "0.5"})
        assert done.returncode == 4 and f"is locked by process {os.getpid()} (socsopr hold)" in done.stderr
    with Catalogue.open(real, writable=True, holder="socsopr hold"), pytest.raises(StoreLocked):
        Catalogue.open(link, writable=True, lock_timeout=0.2)
    assert real.read_bytes() == before


def test_a_hard_linked_catalogue_is_refused_for_writing(tmp_path: Path) -> None:
    """Attack: the file has a second hard link; replacing it would split the two names silently."""
    real = catalogue_with(tmp_path / "real.json", "alpha")
    other = tmp_path / "other.json"
    os.link(real, other)
    state = folder_state(tmp_path)
    for name in (real, other):
        for args in (("add", "--title", "Split", "--year", "2001"), ("undo", "--yes"),
                     ("edit", "alpha", "--set", "title=Split")):
            code, _out, err = run(*args, "--db", str(name))
            assert code == 4 and "hard links" in err, err
            one_sentence(err)
    assert folder_state(tmp_path) == state and os.stat(real).st_nlink == 2
    assert run("list", "--db", str(other))[0] == 0  # reading is fine


# --- 2 and 5. duplicate keys and ids that are not their keys -------------------------------------

COMMANDS: list[tuple[str, ...]] = [
    ("list",), ("show", "alpha"), ("show", "beta"), ("check",), ("export",), ("stats",), ("cite", "beta"),
    ("cite",),
    ("history",), ("undo", "--yes"), ("add", "--title", "New one", "--year", "2002"),
    ("edit", "beta", "--set", "title=Changed"), ("remove", "beta"),
]


def compact(records: list[tuple[str, dict[str, object]]]) -> bytes:
    """A hand-written catalogue in compact JSON; a key may be given twice."""
    body = ",".join(f"{json.dumps(key)}:{json.dumps(record)}" for key, record in records)
    return f'{{"format":"socsopr-catalogue","records":{{{body}}},"version":1}}'.encode()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_key_given_twice_in_a_hand_edited_file_stops_every_command(db_path: Path, command: tuple[str, ...]) -> None:
    """Attack: a git merge joins two versions of one record under the same key (a JSON parser keeps the
    last and silently loses the first). Every command must refuse the file, name the key, touch nothing."""
    db_path.write_bytes(compact([("alpha", book("alpha")), ("beta", book("beta", "Old")),
                                 ("beta", book("beta", "New"))]))
    state = folder_state(db_path.parent)
    code, out, err = run(*command)
    assert code == 4 and "gives the same key twice ('beta')" in err, err
    one_sentence(err)
    assert out == "" and folder_state(db_path.parent) == state


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_an_id_that_is_not_its_key_in_a_hand_edited_file_stops_every_command(db_path: Path, command: tuple[str, ...]) -> None:
    """Attack: a record stored under 'alpha' says its id is 'beta' (next to the real 'beta'): listed
    twice under one key, or lost, unless refused."""
    db_path.write_bytes(compact([("alpha", book("beta", "Impostor")), ("beta", book("beta"))]))
    state = folder_state(db_path.parent)
    code, out, err = run(*command)
    assert code == 4 and "whose id is not the key it is stored under ('alpha')" in err, err
    one_sentence(err)
    assert out == "" and folder_state(db_path.parent) == state


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in {("show", "beta"), ("cite", "beta"), ("history",), ("undo", "--yes")}],
                         ids=lambda c: " ".join(c))
def test_an_id_that_is_not_its_key_in_a_canonical_looking_file_is_named(db_path: Path, command: tuple[str, ...]) -> None:
    """Attack: the same impostor written by hand into a file in socsopr's own layout (taken on trust
    until a record is read): whatever reads it must name the key and the id, never list it twice."""
    db_path.write_bytes(layout.dump_records({"alpha": book("beta", "Impostor"), "beta": book("beta")}))
    assert layout.scan(db_path.read_bytes()) is not None  # it does look canonical
    state = folder_state(db_path.parent)
    code, out, err = run(*command)
    assert code == 4, (code, out, err)
    assert "the record under the key 'alpha' has the id 'beta'" in err, err
    one_sentence(err)
    assert out == "" and folder_state(db_path.parent) == state


def test_the_impostor_is_never_shown_or_listed_twice(db_path: Path) -> None:
    db_path.write_bytes(layout.dump_records({"alpha": book("beta", "Impostor"), "beta": book("beta")}))
    assert run("show", "alpha")[0] == 4
    code, out, _err = run("show", "beta", "--format", "json")  # beta itself is whole: shown alone
    assert code == 0 and "Impostor" not in out
    with Catalogue.open(db_path) as cat, pytest.raises(StoreError, match="'alpha' has the id 'beta'"):
        cat.records()


def test_a_key_given_twice_in_a_canonical_looking_file_is_never_shown_as_one(db_path: Path) -> None:
    """Attack: two versions of 'beta' one after the other in socsopr's layout: ``show beta`` must not
    quietly pick one (its fast path reads one record) but refuse the file like every other command."""
    data = layout.dump_records({"alpha": book("alpha"), "beta": book("beta", "Old")})
    second = layout.dump_records({"beta": book("beta", "New")})
    piece = second[second.index(b'\n    "beta"'):second.index(b"\n  },")]
    data = data.replace(b"\n  },", b"," + piece + b"\n  },", 1)
    db_path.write_bytes(data)
    for command in (("show", "beta"), ("cite", "beta"), ("list",), ("check",)):
        code, out, err = run(*command)
        assert code == 4 and "gives the same key twice ('beta')" in err, (command, err)
        assert out == ""
    assert db_path.read_bytes() == data


# --- 3. the history cannot lie -------------------------------------------------------------------


def fail_catalogue_writes(monkeypatch: pytest.MonkeyPatch, catalogue: Path) -> None:
    """The disk refuses the catalogue file's replacement, after its history line was appended."""
    original = files.atomic_write

    def refusing(path: Path, data: object, **kwargs: object) -> None:
        if Path(path) == catalogue:
            raise StoreError(path, "cannot be written (No space left on device); it was left as it was")
        original(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "atomic_write", refusing)


def test_a_change_whose_file_write_failed_is_neither_listed_nor_undone(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack: the history line of 'add second' is on disk but the catalogue write fails. The line must
    be a change that never happened: not listed, not undone; undo names and reverts 'add first'."""
    catalogue_with(db_path, "first")
    with monkeypatch.context() as m:
        fail_catalogue_writes(m, db_path)
        code, _out, err = run("add", "--title", "Second", "--year", "2002", "--key", "second")
        assert code == 4 and "No space left" in err
    assert b'"command":"add second"' in history_path(db_path).read_bytes()  # the line did land
    code, out, _err = run("history", "--format", "tsv")
    assert code == 0 and "add second" not in out and "add first" in out
    with Catalogue.open(db_path) as cat:
        assert "second" not in cat
        assert cat.undoable().command == "add first"
    monkeypatch.setattr("socsopr_cli.interaction.can_prompt", lambda: True)
    code, _out, err = run("undo", input="y\n")
    assert code == 0, err
    assert "Undo change #1 (add first" in err and "Undid change #1 (add first" in err
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == [] and cat.history() == []
    # the next write rewrites the journal without the line that never landed
    assert run("add", "--yes", "--title", "Third", "--year", "2003", "--key", "third")[0] == 0
    journal = history_path(db_path).read_bytes()
    assert b"add second" not in journal and b"add third" in journal


def test_a_record_removed_by_hand_between_a_change_and_its_undo(db_path: Path) -> None:
    """Attack: someone deletes a record in an editor, then runs undo. Undo cannot know what else the
    hand changed: it must refuse and leave the file as the person left it."""
    catalogue_with(db_path, "first", "second")
    with Catalogue.open(db_path) as cat:
        records = {r["id"]: r for r in cat.records()}
    del records["first"]
    db_path.write_bytes(layout.dump_records(records))
    state = folder_state(db_path.parent)
    code, out, err = run("history")
    assert code == 0 and "changed outside socsopr" in err and "add second" in out
    code, _out, err = run("undo", "--yes")
    assert code == 4 and "was changed outside socsopr after change #2 (add second)" in err
    one_sentence(err)
    assert folder_state(db_path.parent) == state
    with Catalogue.open(db_path, writable=True) as cat, pytest.raises(HistoryConflict):
        cat.undo()


def test_removing_by_hand_exactly_what_a_change_added_is_that_change_never_landing(db_path: Path) -> None:
    """The hand removes the record 'add second' added: the file is byte for byte the state before that
    change, so the journal says so truthfully (the change is not listed) and undo takes back #1."""
    catalogue_with(db_path, "first", "second")
    with Catalogue.open(db_path) as cat:
        records = {r["id"]: r for r in cat.records() if r["id"] != "second"}
    db_path.write_bytes(layout.dump_records(records))
    with Catalogue.open(db_path, writable=True) as cat:
        assert [c.command for c in cat.history()] == ["add first"]
        assert cat.undo().command == "add first"
        assert cat.keys() == []


def test_a_history_copied_from_another_catalogue_is_never_undone(tmp_path: Path) -> None:
    """Attack: mine.json.history is replaced by the journal of theirs.json (same record keys even).
    Its states name another file: undo must refuse rather than apply their change to mine."""
    theirs = catalogue_with(tmp_path / "theirs.json", "shared", "only-theirs")
    mine = catalogue_with(tmp_path / "mine.json", "shared", "only-mine")
    shutil.copyfile(history_path(theirs), history_path(mine))
    state = folder_state(tmp_path)
    code, _out, err = run("undo", "--yes", "--db", str(mine))
    assert code == 4 and "changed outside socsopr" in err
    assert folder_state(tmp_path) == state
    with Catalogue.open(mine, writable=True) as cat:
        assert cat.history_status().detached
        with pytest.raises(HistoryConflict):
            cat.undoable()


def test_undo_at_the_prompt_undoes_exactly_the_change_it_asked_about(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack: another process saves a change while the person reads the undo question. The 'yes'
    was for the change shown: undo must refuse the newer one rather than revert it."""
    catalogue_with(db_path, "first", "second")
    monkeypatch.setattr("socsopr_cli.interaction.can_prompt", lambda: True)
    code, _out, err = run("undo", input="y\n")
    assert code == 0 and "Undo change #2 (add second" in err and "Undid change #2 (add second" in err
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == ["first"]
    asked: list[str] = []

    def meanwhile(question: str, *, yes: bool) -> bool:
        asked.append(question)
        with Catalogue.open(db_path, writable=True) as cat:  # someone else's change lands now
            cat.add(book("sneaky"))
            cat.save("add sneaky")
        return True

    monkeypatch.setattr("socsopr_cli.interaction.confirm", meanwhile)
    code, _out, err = run("undo")
    assert asked and asked[0].startswith("Undo change #1 (add first")
    assert code == 4 and "not #1; nothing was undone" in err
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == ["first", "sneaky"]


# --- 4. where an export may be written -----------------------------------------------------------


def test_an_export_never_overwrites_the_catalogue_its_history_or_its_lock(tmp_path: Path) -> None:
    """Attack: ``export -o`` aimed at the store's own files, directly and through a link."""
    real = catalogue_with(tmp_path / "lib.json", "alpha")
    files.lock_path(real).write_bytes(b"")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    state = {p: p.read_bytes() for p in (real, history_path(real), files.lock_path(real))}
    targets = [real, history_path(real), files.lock_path(real), link, tmp_path / "lib.history.json"]
    for db in (real, link):
        for target in targets:
            for force in ((), ("--force",)):
                code, _out, err = run("export", "--db", str(db), "-o", str(target), *force)
                if target.name == "lib.history.json":  # socsopr 0.1's history name of lib.json
                    assert code == 2 and "history" in err
                    continue
                assert code == 2 and "nothing was written" in err, (db, target, err)
                one_sentence(err)
    assert {p: p.read_bytes() for p in state} == state and link.is_symlink()
    assert not (tmp_path / "lib.history.json").exists()


def test_an_unrelated_file_needs_force_and_a_previous_export_does_not(tmp_path: Path) -> None:
    """Attack: ``-o README`` would silently destroy a file that is not an export."""
    db = catalogue_with(tmp_path / "lib.json", "alpha")
    readme = tmp_path / "README"
    readme.write_text("My notes\n")
    code, _out, err = run("export", "--db", str(db), "-o", str(readme))
    assert code == 2 and "use --force" in err and readme.read_text() == "My notes\n"
    assert run("export", "--db", str(db), "-o", str(readme), "--force")[0] == 0
    assert readme.read_text().startswith("@book{alpha,")
    out = tmp_path / "refs.ris"
    assert run("export", "--db", str(db), "-f", "ris", "-o", str(out))[0] == 0
    run("add", "--db", str(db), "--title", "Beta", "--year", "2002", "--key", "beta")
    assert run("export", "--db", str(db), "-f", "ris", "-o", str(out))[0] == 0  # same format: replaced
    assert out.read_text().count("TY  - ") == 2
    code, _out, err = run("export", "--db", str(db), "-f", "csv", "-o", str(out))  # another format: not
    assert code == 2 and out.read_text().count("TY  - ") == 2


def test_lib_and_lib_json_keep_separate_histories(tmp_path: Path) -> None:
    """Attack: two catalogues whose names differ by an extension share a folder. Their journals
    must not be one file, or one's undo would revert the other's change."""
    plain = catalogue_with(tmp_path / "lib", "plain")
    dotted = catalogue_with(tmp_path / "lib.json", "dotted")
    assert history_path(plain) != history_path(dotted)
    assert run("undo", "--yes", "--db", str(plain))[0] == 0
    with Catalogue.open(plain) as a, Catalogue.open(dotted) as b:
        assert a.keys() == [] and b.keys() == ["dotted"]
        assert [c.command for c in b.history()] == ["add dotted"]


def test_another_catalogues_history_is_an_unrelated_file(tmp_path: Path) -> None:
    plain = catalogue_with(tmp_path / "lib", "plain")
    dotted = catalogue_with(tmp_path / "lib.json", "dotted")
    journal = history_path(dotted).read_bytes()
    code, _out, err = run("export", "--db", str(plain), "-o", str(history_path(dotted)))
    assert code == 2 and "does not look like a bibtex export" in err
    assert history_path(dotted).read_bytes() == journal


# --- 6. Ctrl-C, a full disk, read-only files ----------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_at_random_moments_of_an_add_tells_the_truth(db_path: Path) -> None:
    """Attack: SIGINT lands anywhere in a real ``socsopr add``. What it says must be true: 'nothing
    was written' only with the file unchanged; the record in the file only with no such claim."""
    with Catalogue.open(db_path, writable=True) as cat:  # a few hundred kB: a save takes a while
        cat.add_many(book(f"pad{i:04d}", f"Padding {i} " + "x" * 300) for i in range(1500))
        cat.save("padding")
    start = time.monotonic()
    assert run_process("add", "--title", "Timed", "--year", "2004", "--key", "timed").returncode == 0
    took = time.monotonic() - start  # a whole run: the signals land anywhere in it
    rng = random.Random(1105)
    outcomes = {"saved": 0, "nothing": 0, "finished": 0, "no claim": 0}
    for i in range(16):
        before = db_path.read_bytes()
        proc = subprocess.Popen(
            process_argv("add", "--title", f"Interrupted {i}", "--year", "2004", "--key", f"int{i}"),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(rng.uniform(0.3, 1.05) * took)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        with Catalogue.open(db_path) as cat:
            present = f"int{i}" in cat
        if "nothing was written" in err:
            assert proc.returncode == 130 and db_path.read_bytes() == before, err
            outcomes["nothing"] += 1
        elif "after the change was saved" in err:
            assert proc.returncode == 130 and present, err
            outcomes["saved"] += 1
        elif proc.returncode == 0:
            assert present, err
            outcomes["finished"] += 1
        else:  # no claim at all: Python's own start-up (a traceback, exit 1 or -2), or no message
            assert db_path.read_bytes() == before or present, (proc.returncode, err)
            outcomes["no claim"] += 1
        if present:
            assert "nothing was written" not in err
    print("ctrl-c outcomes", outcomes)
    assert outcomes["nothing"] >= 1, outcomes


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``folder`` (root only); skip the test where that is impossible."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the disk under ``folder`` until at most ``leave`` bytes are free."""
    with open(folder / "filler", "wb") as handle:
        while True:
            free = shutil.disk_usage(folder).free
            if free <= leave:
                return
            try:
                handle.write(b"\0" * min(free - leave, 1 << 16))
                handle.flush()
            except OSError:
                return


def no_debris(folder: Path, catalogue: Path) -> None:
    names = [p.name for p in folder.iterdir()]
    assert not [n for n in names if n.endswith(".tmp")], names
    assert not [n for n in names if ".bak" in n], names


@pytest.mark.parametrize("where", ["backup", "new file"])
def test_init_force_on_a_full_disk(tmp_path: Path, where: str) -> None:
    """Attack: ``init --force`` on a disk that fills up while the backup (or the new file) is written.
    One sentence, exit 4, the old catalogue intact, no truncated backup, no temporary file."""
    with small_disk(tmp_path / "disk", "256k") as disk:
        db = catalogue_with(disk / "c.json", "alpha", "beta")
        before = db.read_bytes()
        shipped_size = len(layout.dump_records({})) if where == "backup" else 0
        # "backup": no room even for a copy of the old file; "new file": room for the backup only
        fill(disk, 0 if where == "backup" else 4096 + shipped_size)
        done = run_process("init", "--force", "--db", str(db))
        assert done.returncode == 4, done.stderr
        one_sentence(done.stderr)
        assert "No space left on device" in done.stderr
        assert db.read_bytes() == before
        no_debris(disk, db)


@pytest.mark.parametrize("where", ["backup", "new file"])
def test_init_force_when_a_write_fails_in_process(db_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """The same attack without a real small disk: ENOSPC at the first (backup) or second write."""
    catalogue_with(db_path, "alpha")
    before = db_path.read_bytes()
    original = os.replace
    calls = [0]

    def replace(src: str, dst: str) -> None:
        calls[0] += 1
        if (where == "backup" and calls[0] == 1) or (where == "new file" and calls[0] == 2):
            raise OSError(errno.ENOSPC, "No space left on device")
        original(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, _out, err = run("init", "--force")
    assert code == 4 and "No space left on device" in err
    one_sentence(err)
    assert db_path.read_bytes() == before
    no_debris(db_path.parent, db_path)


def test_a_read_only_catalogue_is_never_modified(db_path: Path) -> None:
    """Attack: the owner made the file read-only (``chmod 444``); as root ``os.access`` still says
    yes, so the store looks at the mode bits too."""
    catalogue_with(db_path, "alpha")
    db_path.chmod(0o444)
    state = folder_state(db_path.parent)
    with pytest.raises(StoreError, match="is read-only"):
        Catalogue.open(db_path, writable=True)
    for args in (("add", "--title", "No", "--year", "2001"), ("undo", "--yes"), ("remove", "alpha"),
                 ("edit", "alpha", "--set", "title=No")):
        code, _out, err = run(*args)
        assert code == 4 and "is read-only" in err, err
    done = run_process("add", "--title", "Nope", "--year", "2001")
    assert done.returncode == 4 and "is read-only" in done.stderr
    one_sentence(done.stderr)
    assert folder_state(db_path.parent) == state
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o444


def test_a_user_who_cannot_write_the_folder_changes_nothing() -> None:
    """Attack: an ordinary user (``nobody``) runs a writer on a catalogue in a folder it cannot write."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run as nobody")
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody")
    as_nobody = [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    probe = subprocess.run([*as_nobody, *process_argv("--version")], capture_output=True, text=True,
                           cwd="/", stdin=subprocess.DEVNULL, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"nobody cannot run the installed command here: {probe.stderr.strip()[-200:]}")
    folder = Path(tempfile.mkdtemp(prefix="socsopr-ro-"))  # outside pytest's root-only tmp folders
    try:
        folder.chmod(0o755)
        db = catalogue_with(folder / "c.json", "alpha")
        (folder / "c.json.lock").unlink()
        state = folder_state(folder)
        argv = [*as_nobody, *process_argv("add", "--title", "Nobody's", "--year", "2001", "--db", str(db))]
        env = {**os.environ, "HOME": "/nonexistent", "SOCSOPR_CACHE_DIR": str(Path(tempfile.gettempdir()))}
        done = subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=60, cwd="/")
        assert done.returncode == 4, done.stderr
        one_sentence(done.stderr)
        assert "Permission denied" in done.stderr
        read = subprocess.run([*as_nobody, *process_argv("list", "--format", "ids", "--db", str(db))],
                              capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60, cwd="/")
        assert read.returncode == 0 and read.stdout.split() == ["alpha"], read.stderr
        assert folder_state(folder) == state and not (folder / "c.json.lock").exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- 7. hostile history files -------------------------------------------------------------------


def forged_line(state: str, keys: object, before: object, after: object, number: int = 2) -> bytes:
    head = {"added": 0, "base": "0-00000000-00000001", "changed": 1, "command": "edit forged", "hash": state,
            "keys": keys, "kind": "change", "number": number, "removed": 0, "time": "2026-01-01T00:00:00Z"}
    return orjson.dumps(head) + b"\t" + orjson.dumps({"after": after, "before": before}) + b"\n"


def hostile_journals(journal: bytes, state: str, current: dict[str, object]) -> dict[str, bytes]:
    first = journal.split(b"\n")[1] + b"\n"
    header = journal.split(b"\n")[0] + b"\n"
    evil = {"id": "../evil key", "type": "book", "title": "Evil"}
    return {
        "key with a path": journal + forged_line(state, ["../evil key"], {"../evil key": evil}, {"../evil key": None}),
        "key clashing in case": journal + forged_line(
            state, ["ALPHA"], {"ALPHA": book("ALPHA")}, {"ALPHA": None}),
        "id is not the key": journal + forged_line(
            state, ["alpha"], {"alpha": book("other")}, {"alpha": current}),
        "invalid record": journal + forged_line(
            state, ["alpha"], {"alpha": {"id": "alpha", "type": 5, "note": "\x1b[2J"}}, {"alpha": current}),
        "a record outside its keys": journal + forged_line(
            state, ["alpha"], {"alpha": None, "zz": book("zz")}, {"alpha": current}),
        "body not an object": journal + forged_line(state, ["alpha"], None, None),
        "ten megabyte title": journal + forged_line(
            state, ["zz"], {"zz": {**book("zz"), "title": "t" * (10 << 20)}}, {"zz": None}),
        "junk line": header + b"junk\n" + first,
        "ten megabyte junk line": header + b"x" * (10 << 20) + b"\n" + first,
        "bytes that are not UTF-8": header + b"\xff\xfe\t\xff\n" + first,
        "not a history": b'{"format": "something else"}\n' + first,
        "from a newer socsopr": b'{"format": "socsopr-history", "version": 99}\n' + first,
        "empty": b"",
    }


HOSTILE = list(hostile_journals(b"h\nl\n", "s", {}))


@pytest.mark.parametrize("attack", HOSTILE)
def test_a_hostile_history_never_crashes_or_writes_a_bad_record(db_path: Path, attack: str) -> None:
    """Attack: the journal is written by hand (or by an attacker) with lines the store never writes,
    some with a forged hash that matches the file. history and undo answer without a crash; undo
    refuses with one sentence (exit 4) and the catalogue keeps its valid records under valid keys."""
    catalogue_with(db_path, "alpha")
    journal = history_path(db_path).read_bytes()
    with Catalogue.open(db_path) as cat:
        current = cat.get("alpha")
    history_path(db_path).write_bytes(hostile_journals(journal, state_of([db_path.read_bytes()]), current)[attack])
    state = folder_state(db_path.parent)
    code, _out, err = run("history")
    assert code in (0, 4), err
    if code == 4:
        one_sentence(err)
    code, _out, err = run("undo", "--yes")
    assert code == 4, err
    one_sentence(err)
    assert folder_state(db_path.parent) == state
    with Catalogue.open(db_path) as cat:
        assert cat.keys() == ["alpha"] and all(validate(r) == [] for r in cat.records())


@pytest.mark.parametrize("obstacle", ["folder", "link loop"])
def test_a_history_that_cannot_be_read(db_path: Path, obstacle: str) -> None:
    """Attack: a folder, or a link pointing at itself, where the journal should be (``chmod 000`` does
    not stop root). Reading and writing commands say so in one sentence and change nothing."""
    catalogue_with(db_path, "alpha")
    journal = history_path(db_path)
    journal.unlink()
    if obstacle == "folder":
        journal.mkdir()
    else:
        journal.symlink_to(journal.name)
    before = db_path.read_bytes()
    for args in (("history",), ("undo", "--yes"), ("add", "--title", "Blocked", "--year", "2001")):
        code, _out, err = run(*args)
        assert code == 4, (args, err)
        one_sentence(err)
        assert str(journal) in err
    assert db_path.read_bytes() == before


# --- 8. waiting for the lock --------------------------------------------------------------------


@pytest.mark.slow
def test_a_writer_waits_for_the_lock_says_who_holds_it_and_gives_up(db_path: Path) -> None:
    """Attack: another process holds the lock and never lets go. A second writer must say whom it
    waits for (after about a second) and give up after SOCSOPR_LOCK_TIMEOUT with exit 4."""
    catalogue_with(db_path, "alpha")
    before = db_path.read_bytes()
    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with files.locked(db_path, holder="socsopr import"):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        start = time.monotonic()
        proc = subprocess.Popen(
            process_argv("add", "--title", "Late", "--year", "2001"), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "SOCSOPR_LOCK_TIMEOUT": "2"},
        )
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:
            lines.append((time.monotonic() - start, line.strip()))
        proc.wait(timeout=30)
        elapsed = time.monotonic() - start
    finally:
        release.set()
        holder.join()
    me = f"process {os.getpid()} (socsopr import)"
    assert proc.returncode == 4 and len(lines) == 2, lines
    (waited_at, waiting), (_at, error) = lines
    assert waiting.startswith(f"Waiting for {me} to finish writing the catalogue")
    assert 0.9 <= waited_at <= elapsed - 0.5
    assert error.startswith("error: ") and f"is locked by {me}" in error and "waited 2 s" in error
    assert elapsed >= 2
    assert db_path.read_bytes() == before


def test_a_lock_timeout_that_is_not_a_number_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("abc", "-1", "nan", "inf"):
        monkeypatch.setenv("SOCSOPR_LOCK_TIMEOUT", value)
        code, _out, err = run("add", "--title", "X", "--year", "2001")
        assert code == 2 and "SOCSOPR_LOCK_TIMEOUT must be a number of seconds" in err, err
        one_sentence(err)


# --- 9. --db naming nothing, a dash, a folder -----------------------------------------------------


@pytest.mark.parametrize("command", [("list",), ("add", "--title", "X", "--year", "2001"), ("undo", "--yes"),
                                     ("history",), ("edit", "x", "--set", "title=Y"), ("export",)],
                         ids=lambda c: c[0])
@pytest.mark.parametrize("name", ["missing.json", "-", "no-such-folder/c.json"])
def test_db_naming_a_missing_file_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  command: tuple[str, ...], name: str) -> None:
    """Attack: a typo in ``--db``. It must not seed a new catalogue, a lock file or a folder there."""
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(*command, "--db", name)
    assert code == 4 and f"{name} does not exist; create it with 'socsopr init --db {name}'" in err, err
    one_sentence(err)
    assert out == "" and sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("command", [("list",), ("add", "--title", "X", "--year", "2001"), ("undo", "--yes"),
                                     ("init",), ("init", "--force")], ids=" ".join)
def test_db_naming_a_folder(tmp_path: Path, command: tuple[str, ...]) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    code, _out, err = run(*command, "--db", str(folder))
    assert code == 4 and "is a folder, not a catalogue file" in err, err
    one_sentence(err)
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["shelf"]


def test_the_default_catalogue_is_still_created_on_first_use(db_path: Path) -> None:
    assert not db_path.exists()
    code, out, err = run("list", "--format", "ids")
    assert code == 0 and "Created the catalogue" in err and "ovsyannikov2006why" in out.split()
    assert db_path.exists()
