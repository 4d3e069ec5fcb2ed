"""A catalogue shared in git: ``socsopr git setup`` and the merge driver, with real ``git`` in temporary
repositories. Two clones change records concurrently (add, edit, rename, remove) and merge both ways; the
result is compared with a model of the intended semantics (``model_merge`` below, written apart from
``catalogue.store.merging``), and never holds text markers."""

from __future__ import annotations

import copy
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import run_process

from catalogue import Catalogue
from catalogue.store.layout import dump_catalogue, scan

pytestmark = pytest.mark.tools("git")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Archivist", "GIT_AUTHOR_EMAIL": "archivist@example.org",
    "GIT_COMMITTER_NAME": "Archivist", "GIT_COMMITTER_EMAIL": "archivist@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
}
GIT_OPTIONS = ["-c", "user.email=archivist@example.org", "-c", "user.name=Archivist", "-c", "commit.gpgsign=false",
               "-c", "init.defaultBranch=main", "-c", "merge.conflictstyle=merge"]
NAME = "catalogue.json"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *GIT_OPTIONS, "-C", str(repo), *args], capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, "HOME": str(repo.parent)}, check=False, timeout=120)
    if check:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done


def rec(key: str, **fields: Any) -> dict[str, Any]:
    return {"id": key, "type": "book", "title": f"Title of {key}", **fields}


def records_of(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    assert b"<<<<<<<" not in data and b">>>>>>>" not in data, "text conflict markers"
    assert scan(data) is not None, "the merge is not in the canonical layout"
    records: dict[str, Any] = orjson.loads(data)["records"]
    return records


def committed(repo: Path, revision: str) -> dict[str, Any]:
    text = git(repo, "show", f"{revision}:{NAME}").stdout
    return dict(orjson.loads(text)["records"]) if text.strip() else {}


# --- the model ---------------------------------------------------------------------------------------------


def model_merge(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """What the merge must give: per key, one side's change wins; both changed → per field; tags are sets;
    modified the later, added the earlier; a field changed differently → ours kept plus a conflict entry;
    removed against changed → the changed record with a 'record' conflict entry."""
    merged: dict[str, Any] = {}
    for key in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o == t:
            value = o
        elif o == b:
            value = t
        elif t == b:
            value = o
        elif o is None or t is None:
            value = dict(t or o)
            value["conflicts"] = [{"field": "record", "ours": "removed" if o is None else "changed",
                                   "theirs": "removed" if t is None else "changed"}]
        else:
            value = model_fields(b or {}, o, t)
        if value is not None:
            merged[key] = value
    return merged


def model_fields(b: dict[str, Any], o: dict[str, Any], t: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    conflicts = []
    missing = object()
    for name in sorted(set(b) | set(o) | set(t)):
        bv, ov, tv = b.get(name, missing), o.get(name, missing), t.get(name, missing)
        if name in ("modified", "added"):
            present = [v for v in (ov, tv) if v is not missing]
            value = (max if name == "modified" else min)(present) if present else missing
        elif name == "tags":
            bs, os_, ts = (set(v) if v is not missing else set() for v in (bv, ov, tv))
            result = (bs & os_ & ts) | (os_ - bs) | (ts - bs)
            kept = [x for x in (bv if bv is not missing else []) if x in result]
            value = kept + sorted(result - set(kept), key=repr)
            if not value and (ov is missing or tv is missing):
                value = missing
        elif ov == tv or tv == bv:
            value = ov
        elif ov == bv:
            value = tv
        else:
            value = ov
            conflicts.append({"field": name, **{side: v for side, v in (("base", bv), ("ours", ov), ("theirs", tv))
                                                if v is not missing}})
        if value is not missing:
            out[name] = value
    if conflicts:
        out["conflicts"] = conflicts
    return out


# --- two clones ------------------------------------------------------------------------------------------


def setup_clones(tmp_path: Path, records: dict[str, Any]) -> tuple[Path, Path]:
    """Archivist A's repository with the catalogue committed and the driver set up; B's clone of it."""
    a = tmp_path / "a"
    a.mkdir()
    git(a, "init", "-q")
    (a / NAME).write_bytes(dump_catalogue(records, {}))
    result = run_process("git", "setup", "--db", str(a / NAME), cwd=a)
    assert result.returncode == 0, result.stderr
    git(a, "add", NAME, ".gitattributes", ".gitignore")
    git(a, "commit", "-q", "-m", "catalogue")
    b = tmp_path / "b"
    git(tmp_path, "clone", "-q", str(a), str(b))
    result = run_process("git", "setup", "--db", str(b / NAME), cwd=b)
    assert result.returncode == 0, result.stderr
    assert git(b, "status", "--porcelain").stdout == "", "setup in a clone changes nothing committed"
    return a, b


def change(repo: Path, what: str, *steps: tuple[str, Any]) -> None:
    """Apply steps through the library (each one saved), then commit."""
    for step, arg in steps:
        with Catalogue.open(repo / NAME, writable=True) as cat:
            if step == "add":
                cat.add(arg, allow_duplicates=True)
            elif step == "edit":
                key, fields = arg
                record = {**cat.get(key), **fields}
                cat.update(key, {k: v for k, v in record.items() if v is not None})
            elif step == "rename":
                old, new = arg
                cat.update(old, {**cat.get(old), "id": new})
            elif step == "remove":
                cat.remove([arg])
            cat.save(f"{step} {arg}")
    git(repo, "commit", "-q", "-a", "-m", what)


def merge_into(repo: Path, other: Path) -> subprocess.CompletedProcess[str]:
    """``git pull`` of the other clone's main branch (a real merge, the driver run by git)."""
    return git(repo, "pull", "-q", "--no-rebase", "--no-edit", str(other), "HEAD", check=False)


def check_both_ways(tmp_path: Path, a: Path, b: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merge B into A and, in a second clone of B, A into B; each equals the model. Returns both results."""
    git(a, "fetch", "-q", str(b), "HEAD")
    base = committed(a, git(a, "merge-base", "HEAD", "FETCH_HEAD").stdout.strip())
    ours_a, ours_b = committed(a, "HEAD"), committed(b, "HEAD")
    b2 = tmp_path / f"b2-{len(list(tmp_path.iterdir()))}"
    git(tmp_path, "clone", "-q", str(b), str(b2))
    assert run_process("git", "setup", "--db", str(b2 / NAME), cwd=b2).returncode == 0
    results = []
    for repo, other, ours, theirs in ((a, b, ours_a, ours_b), (b2, a, ours_b, ours_a)):
        done = merge_into(repo, other)
        expected = model_merge(base, ours, theirs)
        conflicted = any("conflicts" in r and r not in (ours.get(k), theirs.get(k)) for k, r in expected.items())
        assert done.returncode == (1 if conflicted else 0), done.stdout + done.stderr
        assert records_of(repo / NAME) == expected
        results.append(records_of(repo / NAME))
    if not any("conflicts" in r for r in results[0].values()):
        assert (a / NAME).read_bytes() == (b2 / NAME).read_bytes(), "the same bytes whichever side is ours"
    return results[0], results[1]


# --- tests -------------------------------------------------------------------------------------------------


BASE = {k: rec(k, publisher="Verso", tags=["theory"]) for k in ("alpha2001", "beta2002", "gamma2003", "delta2004")}


def test_two_archivists_add_edit_rename_and_remove_concurrently(tmp_path: Path) -> None:
    a, b = setup_clones(tmp_path, BASE)
    change(a, "A's work", ("add", rec("new2010a")), ("edit", ("alpha2001", {"title": "Alpha, corrected"})),
           ("rename", ("beta2002", "beta2002renamed")), ("edit", ("delta2004", {"tags": ["theory", "russia"]})))
    change(b, "B's work", ("add", rec("new2011b")), ("edit", ("alpha2001", {"publisher": "Bookmarks"})),
           ("remove", "gamma2003"), ("edit", ("delta2004", {"tags": ["labour"]})))
    merged, mirrored = check_both_ways(tmp_path, a, b)
    assert set(merged) == {"alpha2001", "beta2002renamed", "delta2004", "new2010a", "new2011b"}
    assert merged["alpha2001"]["title"] == "Alpha, corrected" and merged["alpha2001"]["publisher"] == "Bookmarks"
    assert merged["delta2004"]["tags"] == ["labour", "russia"]
    assert merged == mirrored
    assert git(a, "status", "--porcelain").stdout == ""


def test_a_conflict_is_a_record_check_reports_and_resolve_settles(tmp_path: Path) -> None:
    a, b = setup_clones(tmp_path, BASE)
    change(a, "A", ("edit", ("alpha2001", {"title": "Alpha by A"})))
    change(b, "B", ("edit", ("alpha2001", {"title": "Alpha by B"})), ("remove", "beta2002"))
    change(a, "A again", ("edit", ("beta2002", {"note": "A checked it"})))
    done = merge_into(a, b)
    assert done.returncode == 1 and "CONFLICT" in done.stdout + done.stderr
    assert "2 conflict records (alpha2001, beta2002)" in done.stderr
    db = str(a / NAME)
    records = records_of(a / NAME)  # valid JSON all the same
    assert records["alpha2001"]["title"] == "Alpha by A"
    checked = run_process("check", "--db", db, "--format", "json")
    assert checked.returncode != 0
    found = {(f["key"], f["check"]) for f in orjson.loads(checked.stdout)}
    assert {("alpha2001", "conflict"), ("beta2002", "conflict")} <= found
    assert run_process("list", "--db", db, "-f", "ids").returncode == 0, "every command reads the merged file"
    resolved = run_process("git", "resolve", "alpha2001", "title", "theirs", "--db", db)
    assert resolved.returncode == 0, resolved.stderr
    assert run_process("git", "resolve", "alpha2001", "title", "theirs", "--db", db).returncode == 3
    assert run_process("git", "resolve", "beta2002", "record", "ours", "--db", db).returncode == 0  # kept
    records = records_of(a / NAME)
    assert records["alpha2001"]["title"] == "Alpha by B" and "conflicts" not in records["alpha2001"]
    assert records["beta2002"]["note"] == "A checked it" and "conflicts" not in records["beta2002"]
    assert run_process("check", "--db", db).returncode == 0
    git(a, "add", NAME)
    git(a, "commit", "-q", "--no-edit")


def test_undo_after_a_merge_never_reverts_across_it(tmp_path: Path) -> None:
    a, b = setup_clones(tmp_path, BASE)
    change(a, "A", ("edit", ("alpha2001", {"title": "Alpha by A"})))
    change(b, "B", ("edit", ("beta2002", {"title": "Beta by B"})))
    assert merge_into(a, b).returncode == 0
    db = str(a / NAME)
    merged = (a / NAME).read_bytes()
    refused = run_process("undo", "--yes", "--db", db)
    assert refused.returncode == 4 and "changed outside socsopr" in refused.stderr
    assert (a / NAME).read_bytes() == merged
    assert run_process("edit", "gamma2003", "--set", "note=after the merge", "--db", db).returncode == 0
    assert run_process("undo", "--yes", "--db", db).returncode == 0
    assert (a / NAME).read_bytes() == merged, "the change after the merge is undone, the merge kept"
    assert run_process("undo", "--yes", "--db", db).returncode == 4
    assert (a / NAME).read_bytes() == merged
    assert git(a, "status", "--porcelain").stdout == "", "the history and lock files are ignored"


def test_a_tracked_history_merges_by_keeping_ours(tmp_path: Path) -> None:
    a, b = setup_clones(tmp_path, BASE)
    for repo, key in ((a, "alpha2001"), (b, "beta2002")):
        change(repo, "edit", ("edit", (key, {"note": "n"})))
        git(repo, "add", "-f", f"{NAME}.history")
        git(repo, "commit", "-q", "-m", "history tracked anyway")
    history = (a / f"{NAME}.history").read_bytes()
    assert merge_into(a, b).returncode == 0
    assert (a / f"{NAME}.history").read_bytes() == history
    refused = run_process("undo", "--yes", "--db", str(a / NAME))
    assert refused.returncode == 4 and "changed outside socsopr" in refused.stderr


def test_git_setup_is_idempotent_and_refuses_outside_a_repository(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / NAME).write_bytes(dump_catalogue(BASE, {}))
    refused = run_process("git", "setup", "--db", str(outside / NAME), cwd=outside,
                          env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert refused.returncode == 4 and "not inside a git repository" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    a, _b = setup_clones(tmp_path, BASE)
    files = [(a / n).read_bytes() for n in (".gitattributes", ".gitignore", ".git/config")]
    again = run_process("git", "setup", "--db", str(a / NAME), cwd=a)
    assert again.returncode == 0 and "added" not in again.stderr
    assert [(a / n).read_bytes() for n in (".gitattributes", ".gitignore", ".git/config")] == files
    assert (a / ".gitattributes").read_text().splitlines() == [
        f"/{NAME} merge=socsopr", f"/{NAME}.history merge=socsopr-history"]
    driver = git(a, "config", "--get", "merge.socsopr.driver").stdout
    assert driver.rstrip().endswith("-m socsopr_cli git merge-driver %O %A %B %P")


def test_the_driver_refuses_damaged_input_and_leaves_ours_untouched(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base.json", "ours.json", "theirs.json"))
    base.write_bytes(dump_catalogue(BASE, {}))
    ours.write_bytes(dump_catalogue({**BASE, "x2020": rec("x2020")}, {}))
    theirs.write_bytes(dump_catalogue(BASE, {})[:-40])
    before = ours.read_bytes()
    done = run_process("git", "merge-driver", str(base), str(ours), str(theirs), NAME)
    assert done.returncode == 4
    assert done.stderr.startswith(f"error: their version of {NAME} is not valid JSON")
    assert ours.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.json", "ours.json", "theirs.json"]


# --- random concurrent change sequences -------------------------------------------------------------


FIELDS = ("title", "publisher", "note", "tags")


def random_steps(rng: random.Random, keys: list[str], side: str) -> list[tuple[str, Any]]:
    """A few changes a side makes, chosen so each applies to the records that side still has."""
    present = list(keys)
    steps: list[tuple[str, Any]] = []
    for n in range(rng.randint(1, 6)):
        kind = rng.choice(("edit", "edit", "edit", "add", "remove", "rename"))
        if kind == "add" or not present:
            key = "shared2020" if rng.random() < 0.2 and "shared2020" not in present else f"{side}{n}x2020"
            if key in present:
                continue
            steps.append(("add", rec(key, note="added on both sides" if key == "shared2020" else side)))
            present.append(key)
        elif kind == "edit":
            key = rng.choice(present)
            name = rng.choice(FIELDS)
            if name == "tags":
                value: Any = sorted(rng.sample(["theory", "russia", "labour", "archive"], rng.randint(1, 3)))
            elif name == "note" and rng.random() < 0.3:
                value = None  # unset
            else:
                value = f"{name} by {side} {rng.randint(0, 2)}"
            steps.append(("edit", (key, {name: value})))
        elif kind == "remove":
            key = rng.choice(present)
            steps.append(("remove", key))
            present.remove(key)
        else:
            key = rng.choice(present)
            new = f"{key}{side}r"
            steps.append(("rename", (key, new)))
            present[present.index(key)] = new
    return steps


@pytest.mark.parametrize("seed", range(20))
def test_random_concurrent_changes_merge_as_the_model_says(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    base = {k: rec(k, publisher="Verso", note="base", tags=["theory"])
            for k in (f"r{i}x{1990 + i}" for i in range(6))}
    a, b = setup_clones(tmp_path, copy.deepcopy(base))
    change(a, "A", *random_steps(rng, sorted(base), "a"))
    change(b, "B", *random_steps(rng, sorted(base), "b"))
    check_both_ways(tmp_path, a, b)


@pytest.mark.parametrize("name", ["data/catalogue.json", "my data/cat #1 [draft]*.json"])
def test_git_setup_matches_exactly_the_catalogue_wherever_it_lies(tmp_path: Path, name: str) -> None:
    repo = tmp_path / "repo"
    (repo / name).parent.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / name).write_bytes(dump_catalogue(BASE, {}))
    (repo / name).with_name("other.json").write_bytes(b"{}")
    done = run_process("git", "setup", "--db", str(repo / name), cwd=repo / name.split("/")[0])
    assert done.returncode == 0, done.stderr
    other = str(Path(name).with_name("other.json"))
    attributes = git(repo, "check-attr", "merge", "--", name, name + ".history", other).stdout.splitlines()
    assert attributes == [f"{name}: merge: socsopr", f"{name}.history: merge: socsopr-history",
                          f"{other}: merge: unspecified"]
    (repo / (name + ".lock")).write_bytes(b"")
    ignored = git(repo, "check-ignore", "--", name + ".lock", name + ".history", name, check=False).stdout
    assert ignored.splitlines() == [name + ".lock", name + ".history"]
