"""Routes of the catalogues domain (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
