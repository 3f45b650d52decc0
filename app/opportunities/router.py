"""Routes of the opportunities domain (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
