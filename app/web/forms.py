"""Forms: what a person typed, read into the API's own input models, with a Chinese message next to each field.

A form that fails comes back filled (``FormState.values``), so nothing typed is lost. The rules stay in the
schemas and services: this module only translates their complaints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from app.core.errors import AppError
from app.core.vocabulary import NEED_FIELD_LABELS

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# The service's reasons for refusing a field, in words people read (the API keeps its English ones).
SERVICE_REASONS = {"deadline": "截止日期须晚于今天。", "nodes": "找不到该产业链环节，请从提示中选择。",
                   "team": "团队成员的企业代码有误，或不能包含发布方与申请方自己。",
                   "budget_max": "预算上限不能小于下限。", "reason": "请填写理由，对方会看到。",
                   "password": "密码至少 10 位，且不能过于简单。", "org": "链主或中小企业用户须填写所属企业代码。",
                   "role": "请选择角色。", "chain": "找不到该产业链。",
                   "capabilities": "同一产品填写了两次。", "message": "婉拒时请填写理由，对方会看到。"}


@dataclass
class FormState:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


async def read(request: Request) -> FormState:
    form = await request.form()
    return FormState(values={k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"})


def lines(text: str | None) -> list[str]:
    """A list typed one item a line or separated by commas (、，,)."""
    out: list[str] = []
    for part in (text or "").replace("、", "\n").replace("，", "\n").replace(",", "\n").splitlines():
        if part.strip():
            out.append(part.strip())
    return out


def _message(error: Any) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "此项为必填。"
    if kind == "string_too_short":
        return "此项不能为空。"
    if kind in ("string_too_long", "too_long"):
        return f"不能超过 {ctx.get('max_length', '')} 个字（项）。"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt', 0))}。"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt', ''))}。"
    if kind.startswith("date"):
        return "日期格式应为 2026-12-31。"
    if kind.startswith(("float", "int", "decimal")):
        return "请填写数字。"
    if kind in ("literal_error", "enum"):
        return "请从列表中选择。"
    if kind == "string_pattern_mismatch":
        return "格式不正确。"
    return "填写有误。"


# Nested models whose fields stand in a form as <model>_<field> (the contact's name, phone and email), so an error
# in one of them lands next to that field rather than above the form.
_FLATTENED = {"contact"}


def parse(model: type[M], data: dict[str, Any], state: FormState) -> M | None:
    """The model, or None with ``state.errors`` filled per field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            loc = e.get("loc") or ("form",)
            name = f"{loc[0]}_{loc[1]}" if loc[0] in _FLATTENED and len(loc) > 1 else str(loc[0])
            state.errors.setdefault(name, _message(e))
        return None


def attempt(state: FormState, action: Callable[[], T]) -> T | None:
    """Run a service call; a refusal it explains by field lands next to that field, others above the form."""
    try:
        return action()
    except AppError as exc:
        details = exc.details if isinstance(exc.details, list) else []
        named = [d.get("field", "") for d in details if isinstance(d, dict)]
        if named and exc.status == 422:
            for name in named:
                label = NEED_FIELD_LABELS.get(name, "此项")
                state.errors.setdefault(name, SERVICE_REASONS.get(name, f"{label}填写有误。"))
        else:
            state.errors["form"] = refusal(exc)
        return None


def refusal(exc: AppError) -> str:
    if exc.status == 409:
        return "操作未能完成：与当前状态冲突（可能已发布、已关闭或已处理过），请刷新后查看。"
    if exc.status in (403, 404):
        return "您无权进行此操作，或对象不存在。"
    return "操作未能完成，请检查后重试。"


def blank_to_none(values: dict[str, str], names: Iterable[str]) -> dict[str, Any]:
    """Empty optional fields mean "not given" to the models, not an empty string to validate."""
    return {k: (v if v.strip() else None) for k, v in values.items() if k in set(names)}
