"""Generate a large chainkg-format folder whose companies are perturbed copies of real ones.

    python -m bench.make_scale_data --n 100000 --out /tmp/chainkg100k \
        [--data ../shared/data/chainkg] [--seed 7]

Each generated company copies a random real company (one that lists at least one product): its product
list minus ~20% of the rows (at least one kept), plus 1-2 products from a real co-producer (a company that
shares a product with it), with positive revenue shares jittered by ±20% and scaled down so they sum to at
most 1 (0.001, "no figure", and the data's own non-positive noise are copied as they are). Codes are
"S" + a zero-padded number, so they never collide with six-digit stock codes; short names are the real short
name followed by the number. products, product_relations, industries and industry_upstream are copied
unchanged; company_industries gives each company the industry of the company it copies.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import random
import shutil
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "chainkg"
COPIED = ("products", "product_relations", "industries", "industry_upstream")
NO_FIGURE = 0.001
DROP = 0.2


def read_raw(folder: Path, stem: str) -> tuple[list[str], list[list[str]]]:
    with gzip.open(folder / f"{stem}.csv.gz", "rt", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [row for row in reader if row]


class GzipCsv:
    """A gzip CSV writer that buffers rows and compresses in large blocks (fast enough for millions)."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self._raw = open(path, "wb")  # noqa: SIM115
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=1)
        self._buf = io.StringIO(newline="")
        self._writer = csv.writer(self._buf)
        self._writer.writerow(header)

    def writerows(self, rows: list[list[str]]) -> None:
        self._writer.writerows(rows)
        if self._buf.tell() > 1 << 20:
            self._flush()

    def _flush(self) -> None:
        self._gz.write(self._buf.getvalue().encode("utf-8"))
        self._buf.seek(0)
        self._buf.truncate()

    def close(self) -> None:
        self._flush()
        self._gz.close()
        self._raw.close()


def parse_share(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def perturb(rng: random.Random, own: list[list[str]], extra: list[str]) -> list[tuple[str, str]]:
    """(product, revenue_share text) rows for one generated company."""
    kept = [r for r in own if rng.random() >= DROP] or [rng.choice(own)]
    names = {r[1] for r in kept}
    rows: list[tuple[str, float | None, str]] = []
    for r in kept:
        share = parse_share(r[2])
        if share is not None and share > 0 and share != NO_FIGURE:
            rows.append((r[1], share * rng.uniform(0.8, 1.2), r[2]))
        else:
            rows.append((r[1], None, r[2]))
    for p in extra:
        if p not in names:
            names.add(p)
            rows.append((p, None, f"{NO_FIGURE}"))
    total = sum(s for _, s, _ in rows if s is not None)
    scale = 0.999 / total if total > 0.999 else 1.0  # headroom for the 1e-6 floor below
    return [(p, f"{max(math.floor(s * scale * 1e6), 1) / 1e6:.6f}" if s is not None else raw)
            for p, s, raw in rows]


def generate(data: Path, out: Path, n: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    comp_header, companies = read_raw(data, "companies")
    cp_header, company_products = read_raw(data, "company_products")
    ci_header, company_industries = read_raw(data, "company_industries")
    by_code = {r[0]: r for r in companies}
    products_of: dict[str, list[list[str]]] = defaultdict(list)
    makers: dict[str, list[str]] = defaultdict(list)
    for r in company_products:
        if r[0] in by_code:
            products_of[r[0]].append(r)
            makers[r[1]].append(r[0])
    industry_of: dict[str, str] = {}
    for r in company_industries:
        industry_of.setdefault(r[0], r[1])
    sources = sorted(products_of)
    width = max(6, len(str(n)))

    comp_w = GzipCsv(out / "companies.csv.gz", comp_header)
    cp_w = GzipCsv(out / "company_products.csv.gz", cp_header)
    ci_w = GzipCsv(out / "company_industries.csv.gz", ci_header)
    counts = {"companies": 0, "company_products": 0, "company_industries": 0}
    batch_c: list[list[str]] = []
    batch_p: list[list[str]] = []
    batch_i: list[list[str]] = []
    for i in range(1, n + 1):
        src = rng.choice(sources)
        own = products_of[src]
        extra: list[str] = []
        for _ in range(rng.randint(1, 2)):
            others = [c for c in makers[rng.choice(own)[1]] if c != src]
            if others:
                extra.append(rng.choice(products_of[rng.choice(others)])[1])
        code = f"S{i:0{width}d}"
        real = by_code[src]
        batch_c.append([code, f"{real[1]}{i}", f"{real[2]}{i}", *real[3:5]])
        batch_p.extend([code, p, share] for p, share in perturb(rng, own, extra))
        if src in industry_of:
            batch_i.append([code, industry_of[src]])
        if len(batch_p) >= 50_000 or i == n:
            comp_w.writerows(batch_c)
            cp_w.writerows(batch_p)
            ci_w.writerows(batch_i)
            counts["companies"] += len(batch_c)
            counts["company_products"] += len(batch_p)
            counts["company_industries"] += len(batch_i)
            batch_c, batch_p, batch_i = [], [], []
    for w in (comp_w, cp_w, ci_w):
        w.close()
    for stem in COPIED:
        src_file = data / f"{stem}.csv.gz"
        if src_file.exists():
            shutil.copyfile(src_file, out / f"{stem}.csv.gz")
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="companies to generate (default: %(default)s)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="real chainkg folder (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be at least 1")
    t0 = time.perf_counter()
    counts = generate(args.data, args.out, args.n, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
          + f" in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
