"""The province's batches, as the API's ``importBatches`` gives them to the key (run inside the
server by hub.api.run_query, the dashboard's way), each with its summary, its rejected rows and,
where the key's role allows, a revert button (revertBatch's own rule: hub.audit.history.revert_batch
decides again when it is pressed). The file a batch applied is named when the page sent it (its
submission id carries the name)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.api.run_query import execute_query
from hub.access.keys import Principal
from hub.dashboard.format import vn_datetime
from hub.dashboard.html import e, table
from hub.store.models import Submission
from hub.submit.messages import CODE_LABELS
from hub.submit.preview import SUBMISSION_PREFIX

SHOWN = 20
BATCHES = """query ($province: String!, $first: Int!) {
  importBatches(province: $province, first: $first) {
    totalCount
    edges { node { id source kind actor status startedAt rowsRead created updated unchanged withdrawn rejected
                   warnedRows conflicts reverted revertedByBatchId provinceCode warnings { code count } } }
  }
}"""
KINDS = {"harvest": "thu thập", "push": "gửi", "revert": "hoàn tác", "removal": "gỡ nguồn"}
STATUSES = {"succeeded": "thành công", "failed": "thất bại", "running": "đang chạy", "dry_run": "xem trước"}


class HistoryFailed(Exception):
    """The API answered the query with errors."""


async def batches(engine: Engine, principal: Principal, province_code: str) -> tuple[list[dict[str, Any]], int]:
    answer = await execute_query(engine, principal, BATCHES, {"province": province_code, "first": SHOWN})
    if "errors" in answer:
        raise HistoryFailed("; ".join(err.get("message", "") for err in answer["errors"]))
    page = answer["data"]["importBatches"]
    return [edge["node"] for edge in page["edges"]], page["totalCount"]


def file_names(engine: Engine, batch_ids: list[int]) -> dict[int, str]:
    """The file each batch the page applied came from (its submission id's tail)."""
    if not batch_ids:
        return {}
    with Session(engine) as session:
        rows = session.execute(select(Submission.batch_id, Submission.submission_id)
                               .where(Submission.batch_id.in_(batch_ids))).all()
    return {batch: sid.split(":", 2)[2] for batch, sid in rows
            if batch is not None and sid.startswith(SUBMISSION_PREFIX) and sid.count(":") >= 2}


def who(actor: str) -> str:
    """The log's actor as the officer reads it: ``key:3:Sở NN`` is the key "Sở NN" (no. 3)."""
    kind, _, rest = actor.partition(":")
    if kind == "key" and ":" in rest:
        number, _, name = rest.partition(":")
        return f"khóa “{name}” (số {number})"
    return {"harvest": "thu thập tự động", "dagster": "Dagster"}.get(actor, actor)


def may_revert(principal: Principal, batch: dict[str, Any]) -> bool:
    """What revertBatch allows: a key writing the batch's province, an applied harvest or push not reverted yet."""
    return (batch["provinceCode"] is not None and principal.may_write(batch["provinceCode"])
            and batch["status"] == "succeeded" and batch["kind"] in ("harvest", "push") and not batch["reverted"])


def _details(principal: Principal, b: dict[str, Any]) -> str:
    counts = table(f"Lô {b['id']}: cảnh báo theo mã", ["Mã", "Nghĩa", "Số dòng"],
                   [[w["code"], CODE_LABELS.get(w["code"], ""), str(w["count"])] for w in b["warnings"]],
                   numeric=[2], empty="Không có cảnh báo.")
    facts = (f'<p>{b["rowsRead"]} dòng đọc; tạo mới {b["created"]}, cập nhật {b["updated"]}, không đổi '
             f'{b["unchanged"]}, rút {b["withdrawn"]}, bị loại {b["rejected"]}, có cảnh báo {b["warnedRows"]}, '
             f'xung đột {b["conflicts"]}.</p>')
    actions = []
    if b["rejected"]:
        actions.append(f'<a href="/nop-du-lieu/dong-bi-loai/{b["id"]}.xlsx" data-export="dong-bi-loai-lo-{b["id"]}.xlsx">'
                       f'Tải dòng bị loại (.xlsx)</a>')
    if b["reverted"]:
        actions.append(f'<span class="muted">Đã hoàn tác bởi lô {e(b["revertedByBatchId"])}.</span>')
    elif may_revert(principal, b):
        actions.append(f'<button type="button" data-revert="{b["id"]}">Hoàn tác lô {b["id"]}</button>')
    return (f'<details><summary>Tóm tắt lô {b["id"]}</summary>{facts}{counts}'
            f'<p class="links">{" ".join(actions)}</p></details>')


def history_fragment(principal: Principal, province_name: str, rows: list[dict[str, Any]], total: int,
                     names: dict[int, str]) -> str:
    body = [[str(b["id"]), e(vn_datetime(b["startedAt"])), e(who(b["actor"])), e(names.get(b["id"], b["source"])),
             e(KINDS.get(b["kind"], b["kind"])), e(STATUSES.get(b["status"], b["status"])),
             str(b["created"]), str(b["updated"]), str(b["withdrawn"]), str(b["rejected"]), _details(principal, b)]
            for b in rows]
    more = f'<p class="detail">{SHOWN} lô gần nhất trên {total}.</p>' if total > len(rows) else ""
    return ('<div class="scroll">' + table(
        f"Các lô của {province_name}, mới nhất trước", ["Lô", "Lúc", "Ai", "Tệp hoặc nguồn", "Loại", "Kết quả",
                                                      "Tạo mới", "Cập nhật", "Rút", "Bị loại", "Tóm tắt"],
        body, numeric=[0, 6, 7, 8, 9], raw=True, tid="lich-su", empty="Chưa có lô nào.") + f"</div>{more}")
