"""Routes of the webhooks domain (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
