"""The in-memory directory on its own: substring hits per firm, filters, paging, changes before and after a rebuild."""

from __future__ import annotations

import pytest

from app.match_index import directory as directory_module
from app.match_index.directory import Directory, Filter, Listing


def firm(id_: int, name: str, *products: str, kind: str = "sme", tier: str = "none",
         region: tuple[str, ...] = ("山东省", "济南市")) -> Listing:
    return Listing.of(id_, names=[name, f"{name}有限公司"], products=products, kind=kind, tier=tier, region=region)


def test_search_counts_each_firm_once_in_id_order_with_filters() -> None:
    d = Directory([firm(3, "锂业", "碳酸锂", "碳酸锂粉"), firm(1, "电池厂", "锂电池", kind="leader"),
                   firm(2, "铜箔厂", "铜箔", region=("广东省", "深圳市"))])
    assert d.search("锂", Filter(), limit=10, offset=0) == ([1, 3], 2)
    assert d.search("有限公司", Filter(), limit=2, offset=1) == ([2, 3], 3)
    assert d.search("有限公司", Filter(kinds=("sme",)), limit=10, offset=0) == ([2, 3], 2)
    assert d.search("有限公司", Filter(region=("广东省",)), limit=10, offset=0) == ([2], 1)
    assert d.search("有限公司", Filter(region=("山东省", "青岛市")), limit=10, offset=0) == ([], 0)
    assert d.search("锂业有限", Filter(), limit=10, offset=0) == ([3], 1)  # the full name
    assert d.search("公司碳", Filter(), limit=10, offset=0) == ([], 0)  # never across two fields
    assert d.search("a\x1fb", Filter(), limit=10, offset=0) is None  # left to the database


def test_changes_are_seen_at_once_and_survive_a_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    d = Directory([firm(1, "电池厂", "锂电池"), firm(2, "铜箔厂", "铜箔")])
    d.upsert(firm(2, "铜箔厂", "铜箔", "锂电铜箔"))
    d.upsert(firm(5, "新锂", "碳酸锂", tier="innovative"))
    d.remove(1)
    assert d.search("锂", Filter(), limit=10, offset=0) == ([2, 5], 2)
    assert d.search("锂", Filter(tiers=("innovative",)), limit=10, offset=0) == ([5], 1)
    assert d.search("电池", Filter(), limit=10, offset=0) == ([], 0)
    assert len(d) == 2
    monkeypatch.setattr(directory_module, "_REBUILD_AT", 1)
    d.upsert(firm(6, "Graphene Co", "GRAPHENE-X9"))  # folds the side table into the big string
    assert d.search("graphene-x9", Filter(), limit=10, offset=0) == ([6], 1)
    assert d.search("锂", Filter(), limit=1, offset=1) == ([5], 2)
    assert len(d) == 3


def test_postings_find_the_same_parts_as_scanning() -> None:
    """Character and pair lists answer what a scan of the joined text answers: one or two characters from the
    lists, longer needles checked after intersecting (pairs present in another order must not count)."""
    import random

    from app.match_index.ngrams import Postings

    rng = random.Random(3)
    alphabet = "锂电池铜箔碳酸ab"  # few characters: many pairs repeat, in every order
    parts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(400)]
    text, starts = directory_module._joined(parts)
    postings = Postings(text, starts, directory_module._FIRM_SEP)
    needles = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(300)} | {"锂电池铜", "z"}
    for needle in needles:
        expected = [k for k, part in enumerate(parts) if needle in part]
        assert postings.parts(needle).tolist() == expected, needle


def test_a_rebuild_answers_as_a_fresh_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folding changes into the big strings (columns merged, not listings rebuilt) answers every search as a
    directory built afresh from the same firms does."""
    import random

    rng = random.Random(5)
    chars = "锂电池铜箔碳酸"

    def some(id_: int) -> Listing:
        products = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 4))]
        return firm(id_, "".join(rng.choice(chars) for _ in range(3)), *products, kind=rng.choice(["sme", "leader"]),
                    tier=rng.choice(["none", "innovative"]), region=(rng.choice(["山东省", "广东省"]), "某市"))

    current = {i: some(i) for i in range(0, 120, 2)}
    d = Directory(list(current.values()))
    monkeypatch.setattr(directory_module, "_REBUILD_AT", 7)
    for _ in range(60):
        id_ = rng.randrange(130)
        if rng.random() < 0.3:
            d.remove(id_)
            current.pop(id_, None)
        else:
            current[id_] = some(id_)
            d.upsert(current[id_])
    fresh = Directory(list(current.values()))
    assert len(d) == len(fresh) == len(current)
    for needle in ["锂", "电池", "铜箔", "碳酸锂", "有限", "锂电池铜"]:
        for f in (Filter(), Filter(kinds=("leader",)), Filter(tiers=("innovative",)), Filter(region=("广东省",))):
            assert d.search(needle, f, limit=500, offset=0) == fresh.search(needle, f, limit=500, offset=0)
