"""The four kinds of operational data: their columns (English and Chinese), checks and targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from django.db import models

from ccops.intake import parsing as p
from ccops.intake.models import AcdInterval, AgentState, CallRecord, ClockPunch


@dataclass(frozen=True)
class Context:
    """What a kind needs to resolve references: lookups and the uploader's scope."""

    time_zone: str
    batch_organisation_id: int
    queues: pl.DataFrame  # queue_code, queue_id
    people: pl.DataFrame  # agent, person_id, person_org (one row per employee_no and account)
    allowed_interval_minutes: tuple[int, ...] = (15, 30, 60)


@dataclass(frozen=True)
class Kind:
    """One importable kind: header aliases, required columns, parsing and the target table."""

    name: str
    columns: dict[str, list[str]]
    required: tuple[str, ...]
    model: type[models.Model]
    key: tuple[str, ...]
    values: tuple[str, ...]
    prepare: Callable[[pl.DataFrame, Context, p.Problems], pl.DataFrame]
    agent_scoped: bool


def _resolve_queue(frame: pl.DataFrame, ctx: Context, problems: p.Problems) -> pl.DataFrame:
    joined = frame.join(ctx.queues, left_on="queue", right_on="queue_code", how="left")
    problems.add_mask(
        joined,
        pl.col("queue").is_not_null() & pl.col("queue_id").is_null(),
        "queue",
        "unknown_queue",
        value_of="queue",
    )
    return joined


def _resolve_agent(
    frame: pl.DataFrame, ctx: Context, problems: p.Problems, *, required: bool
) -> pl.DataFrame:
    joined = frame.join(ctx.people, on="agent", how="left")
    problems.add_mask(
        joined,
        pl.col("agent").is_not_null() & pl.col("person_id").is_null(),
        "agent",
        "unknown_agent",
        value_of="agent",
    )
    if required:
        problems.add_mask(joined, pl.col("agent").is_null(), "agent", "required")
    return joined


# -- ACD interval statistics ----------------------------------------------------
ACD_COUNTS = (
    "offered",
    "answered",
    "abandoned",
    "answered_in_threshold",
    "abandoned_in_threshold",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
)


def prepare_acd(frame: pl.DataFrame, ctx: Context, problems: p.Problems) -> pl.DataFrame:
    p.require_present(frame, ["queue", "interval_start", "interval_minutes", "offered"], problems)
    parsers = {
        "interval_start": p.utc_datetime(ctx.time_zone),
        "interval_minutes": p.integer("interval_minutes"),
    }
    parsers |= {name: p.integer(name) for name in ACD_COUNTS}
    codes = {"interval_start": "bad_datetime"} | {
        n: "bad_integer" for n in parsers if n != "interval_start"
    }
    frame = p.parse_columns(frame, parsers, problems, codes)
    frame = frame.with_columns([pl.col(n).fill_null(0) for n in ACD_COUNTS if n != "offered"])
    for name in ACD_COUNTS:
        p.check(frame, problems, pl.col(name) < 0, name, "negative")
    minutes = pl.col("interval_minutes")
    p.check(
        frame,
        problems,
        minutes.is_in(ctx.allowed_interval_minutes).not_(),
        "interval_minutes",
        "bad_interval_length",
    )
    local = pl.col("interval_start").dt.replace_time_zone("UTC").dt.convert_time_zone(ctx.time_zone)
    minute_of_day = local.dt.hour().cast(pl.Int32) * 60 + local.dt.minute().cast(pl.Int32)
    off_grid = (minute_of_day % minutes != 0) | (local.dt.second() != 0)
    p.check(frame, problems, off_grid, "interval_start", "off_grid")
    p.check(
        frame,
        problems,
        pl.col("answered") + pl.col("abandoned") > pl.col("offered"),
        "answered",
        "answered_abandoned_exceed_offered",
    )
    p.check(
        frame,
        problems,
        pl.col("answered_in_threshold") > pl.col("answered"),
        "answered_in_threshold",
        "exceeds_answered",
    )
    p.check(
        frame,
        problems,
        pl.col("abandoned_in_threshold") > pl.col("abandoned"),
        "abandoned_in_threshold",
        "exceeds_abandoned",
    )
    return _resolve_queue(frame, ctx, problems)


# -- call detail records ------------------------------------------------------------
def prepare_cdr(frame: pl.DataFrame, ctx: Context, problems: p.Problems) -> pl.DataFrame:
    p.require_present(frame, ["call_id", "arrived_at", "ended_at"], problems)
    parsers = {
        "arrived_at": p.utc_datetime(ctx.time_zone),
        "answered_at": p.utc_datetime(ctx.time_zone),
        "ended_at": p.utc_datetime(ctx.time_zone),
        "leg": p.integer("leg"),
        "talk_seconds": p.integer("talk_seconds"),
        "hold_seconds": p.integer("hold_seconds"),
        "acw_seconds": p.integer("acw_seconds"),
        "transferred": p.boolean("transferred"),
    }
    codes = {n: "bad_datetime" for n in ("arrived_at", "answered_at", "ended_at")}
    codes |= {n: "bad_integer" for n in ("leg", "talk_seconds", "hold_seconds", "acw_seconds")}
    codes["transferred"] = "bad_boolean"
    frame = p.parse_columns(frame, parsers, problems, codes)
    frame = frame.with_columns(
        pl.col("leg").fill_null(1),
        *(pl.col(n).fill_null(0) for n in ("talk_seconds", "hold_seconds", "acw_seconds")),
        pl.col("transferred").fill_null(False),
        pl.col("disposition").fill_null(""),
    )
    for name in ("leg", "talk_seconds", "hold_seconds", "acw_seconds"):
        p.check(frame, problems, pl.col(name) < 0, name, "negative")
    p.check(
        frame,
        problems,
        pl.col("answered_at") < pl.col("arrived_at"),
        "answered_at",
        "answer_before_arrival",
    )
    p.check(
        frame, problems, pl.col("ended_at") < pl.col("arrived_at"), "ended_at", "end_before_start"
    )
    p.check(
        frame, problems, pl.col("ended_at") < pl.col("answered_at"), "ended_at", "end_before_answer"
    )
    frame = _resolve_queue(frame, ctx, problems)
    frame = _resolve_agent(frame, ctx, problems, required=False)
    return frame.with_columns(
        organisation_id=pl.coalesce(pl.col("person_org"), pl.lit(ctx.batch_organisation_id))
    )


# -- agent state changes --------------------------------------------------------------
STATE_WORDS = {
    "logged_in": ("logged_in", "login", "log in", "登录", "签入"),
    "ready": ("ready", "available", "idle", "就绪", "空闲", "示闲"),
    "not_ready": ("not_ready", "not ready", "aux", "break", "未就绪", "示忙", "小休"),
    "on_call": ("on_call", "on call", "talking", "busy", "通话", "通话中"),
    "acw": ("acw", "wrap", "wrap-up", "after_call_work", "after-call work", "事后处理", "话后"),
    "logged_out": ("logged_out", "logout", "log out", "登出", "签出"),
}


def _normalise_words(name: str, words: dict[str, tuple[str, ...]]) -> pl.Expr:
    text = pl.col(name).str.to_lowercase().str.strip_chars()
    expr = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Utf8))
    for value, aliases in words.items():
        expr = expr.when(text.is_in(aliases)).then(pl.lit(value))
    return expr.otherwise(None)


def prepare_states(frame: pl.DataFrame, ctx: Context, problems: p.Problems) -> pl.DataFrame:
    p.require_present(frame, ["agent", "state", "started_at"], problems)
    parsers = {
        "state": _normalise_words("state", STATE_WORDS),
        "started_at": p.utc_datetime(ctx.time_zone),
        "ended_at": p.utc_datetime(ctx.time_zone),
    }
    codes = {"state": "bad_state", "started_at": "bad_datetime", "ended_at": "bad_datetime"}
    frame = p.parse_columns(frame, parsers, problems, codes)
    frame = frame.with_columns(pl.col("reason").fill_null(""))
    p.check(
        frame, problems, pl.col("ended_at") < pl.col("started_at"), "ended_at", "end_before_start"
    )
    frame = _resolve_agent(frame, ctx, problems, required=True)
    return frame.with_columns(organisation_id=pl.col("person_org"))


# -- clock records ------------------------------------------------------------------------
DIRECTION_WORDS = {
    "in": ("in", "i", "clock in", "clock-in", "上班", "签到", "进", "入"),
    "out": ("out", "o", "clock out", "clock-out", "下班", "签退", "出"),
}


def prepare_clock(frame: pl.DataFrame, ctx: Context, problems: p.Problems) -> pl.DataFrame:
    p.require_present(frame, ["agent", "punched_at", "direction"], problems)
    parsers = {
        "punched_at": p.utc_datetime(ctx.time_zone),
        "direction": _normalise_words("direction", DIRECTION_WORDS),
    }
    codes = {"punched_at": "bad_datetime", "direction": "bad_direction"}
    frame = p.parse_columns(frame, parsers, problems, codes)
    frame = frame.with_columns(pl.col("device").fill_null(""))
    frame = _resolve_agent(frame, ctx, problems, required=True)
    return frame.with_columns(organisation_id=pl.col("person_org"))


KINDS: dict[str, Kind] = {
    "acd": Kind(
        name="acd",
        columns={
            "queue": ["queue", "queue_code", "skill_group", "队列", "技能组", "队列编码"],
            "interval_start": [
                "interval_start",
                "interval",
                "start",
                "时段开始",
                "时段",
                "开始时间",
            ],
            "interval_minutes": [
                "interval_minutes",
                "interval_length",
                "length",
                "时段长度",
                "时长(分钟)",
            ],
            "offered": ["offered", "calls_offered", "进线量", "呼入量", "来话量"],
            "answered": ["answered", "calls_answered", "接通量", "应答量"],
            "abandoned": ["abandoned", "calls_abandoned", "放弃量", "呼损量"],
            "answered_in_threshold": [
                "answered_in_threshold",
                "answered_within_threshold",
                "阈值内接通量",
                "及时应答量",
            ],
            "abandoned_in_threshold": [
                "abandoned_in_threshold",
                "abandoned_within_threshold",
                "阈值内放弃量",
                "短时放弃量",
            ],
            "talk_seconds": ["talk_seconds", "talk", "talk_time", "通话时长", "通话秒数"],
            "hold_seconds": ["hold_seconds", "hold", "hold_time", "保持时长", "保持秒数"],
            "acw_seconds": ["acw_seconds", "acw", "after_call_work", "事后处理时长", "话后时长"],
        },
        required=(
            "queue",
            "interval_start",
            "interval_minutes",
            "offered",
            "answered",
            "abandoned",
        ),
        model=AcdInterval,
        key=("queue_id", "interval_start"),
        values=("interval_minutes", *ACD_COUNTS),
        prepare=prepare_acd,
        agent_scoped=False,
    ),
    "cdr": Kind(
        name="cdr",
        columns={
            "call_id": ["call_id", "callid", "呼叫编号", "通话编号", "呼叫id"],
            "leg": ["leg", "leg_no", "段号", "分段"],
            "queue": ["queue", "queue_code", "skill_group", "队列", "技能组"],
            "agent": [
                "agent",
                "employee_no",
                "agent_account",
                "agent_id",
                "工号",
                "员工编号",
                "座席工号",
            ],
            "arrived_at": ["arrival", "arrived_at", "arrival_time", "进线时间", "到达时间"],
            "answered_at": ["answer", "answered_at", "answer_time", "应答时间", "接通时间"],
            "ended_at": ["end", "ended_at", "end_time", "结束时间", "挂机时间"],
            "talk_seconds": ["talk", "talk_seconds", "通话时长"],
            "hold_seconds": ["hold", "hold_seconds", "保持时长"],
            "acw_seconds": ["acw", "acw_seconds", "after_call_work", "事后处理时长"],
            "transferred": ["transferred", "transfer", "是否转接", "转接"],
            "disposition": ["disposition", "result", "处理结果", "结果"],
        },
        required=("call_id", "arrived_at", "ended_at"),
        model=CallRecord,
        key=("call_id", "leg"),
        values=(
            "organisation_id",
            "queue_id",
            "person_id",
            "arrived_at",
            "answered_at",
            "ended_at",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "transferred",
            "disposition",
        ),
        prepare=prepare_cdr,
        agent_scoped=True,
    ),
    "states": Kind(
        name="states",
        columns={
            "agent": [
                "agent",
                "employee_no",
                "agent_account",
                "agent_id",
                "工号",
                "员工编号",
                "座席工号",
            ],
            "state": ["state", "status", "状态", "座席状态"],
            "reason": ["reason", "reason_code", "原因", "示忙原因"],
            "started_at": ["start", "started_at", "start_time", "开始时间"],
            "ended_at": ["end", "ended_at", "end_time", "结束时间"],
        },
        required=("agent", "state", "started_at"),
        model=AgentState,
        key=("person_id", "started_at"),
        values=("organisation_id", "state", "reason", "ended_at"),
        prepare=prepare_states,
        agent_scoped=True,
    ),
    "clock": Kind(
        name="clock",
        columns={
            "agent": ["employee_no", "agent", "employee", "工号", "员工编号", "人员编号"],
            "punched_at": ["punch_time", "punched_at", "time", "打卡时间", "签到时间"],
            "direction": ["direction", "in_out", "type", "方向", "打卡类型", "进出"],
            "device": ["device", "terminal", "设备", "考勤机"],
        },
        required=("agent", "punched_at", "direction"),
        model=ClockPunch,
        key=("person_id", "punched_at", "direction"),
        values=("organisation_id", "device"),
        prepare=prepare_clock,
        agent_scoped=True,
    ),
}
