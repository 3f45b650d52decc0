"""A text is read the same way in every process: two workers of one server must not show a poster two readings.
Python salts string hashes per process, so anything that follows a set's order would differ between them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ("餐饮连锁门店用气，需要LPG稳定供应商，钢瓶配送到店，每月约30吨。",
         "团餐公司招标：食用植物油（大豆油、菜籽油）和调味品（酱油、醋），配送到各食堂。")
SCRIPT = """
import json, sys
from tests.matching.conftest import need_reader
r = need_reader(("LPG", "液化石油气", "钢瓶", "配送", "餐饮", "食用植物油", "大豆油", "菜籽油", "调味品", "酱油", "醋",
                 "团餐", "食堂"))
print(json.dumps([repr(r.read(t)) for t in json.loads(sys.argv[1])], ensure_ascii=False))
"""


def _read_with_seed(seed: int) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(TEXTS, ensure_ascii=False)], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True)
    return list(json.loads(out.stdout))


def test_the_reading_does_not_depend_on_the_hash_seed():
    readings = [_read_with_seed(seed) for seed in range(6)]
    assert all(r == readings[0] for r in readings), "a text was read differently under another PYTHONHASHSEED"
