"""The submission page and the fragments its script puts in it: the preview, the summary of an
applied batch, a refusal. Built with the dashboard's shell and helpers (hub.dashboard.html: every
value escaped by ``e``), so the page looks, reads and is navigated like the dashboard."""
from __future__ import annotations

from typing import Sequence

from hub.store.certificates import current_date
from hub.dashboard.day import Day
from hub.dashboard.html import e, page, table
from hub.ingest import ImportSummary
from hub.push.submission import MAX_FILE_BYTES
from hub.submit.assets import CSS, JS
from hub.submit.fields import field_label
from hub.submit.messages import CODE_LABELS, place, reasons
from hub.submit.preview import Preview

FIRST_ROWS = 10
TITLE = "Nộp danh sách sản phẩm OCOP"


def submit_page(provinces: Sequence[tuple[str, str]]) -> str:
    """The whole page: the key (the dashboard's header form), the file form, the results region
    and the history region (both filled by the script with the key)."""
    options = '<option value="">Tỉnh của khóa API</option>' + "".join(
        f'<option value="{e(code)}">{e(name)}</option>' for code, name in provinces)
    main = (
        f'<h1>{TITLE}</h1><p class="lede">Dành cho cán bộ của tỉnh, thành phố: gửi danh sách sản phẩm OCOP '
        'bằng tệp Excel, CSV, PDF hoặc Word. <strong>Xem trước</strong> cho biết hệ thống đọc tệp thế nào và sẽ '
        'thay đổi gì, <strong>không lưu gì</strong>; chỉ khi bấm <strong>Áp dụng</strong> dữ liệu mới được ghi, '
        'đúng như bản xem trước.</p>'
        '<noscript><div class="error">Trang này cần JavaScript: khóa API được gửi kèm từng yêu cầu, '
        'không lưu trong cookie.</div></noscript>'
        '<section class="card" aria-labelledby="b1"><h2 id="b1">1. Khóa API của tỉnh</h2>'
        '<p>Nhập khóa API của tỉnh vào ô <a href="#key-input">“Khóa API”</a> ở đầu trang rồi bấm “Dùng khóa”, '
        'chỉ một lần: khóa được giữ trong thẻ trình duyệt này đến khi đóng thẻ và không gửi đi đâu khác.</p></section>'
        '<section class="card" aria-labelledby="b2"><h2 id="b2">2. Chọn tệp và xem trước</h2>'
        f'<form id="upload-form" class="upload" data-max-bytes="{MAX_FILE_BYTES}" enctype="multipart/form-data" '
        'aria-describedby="file-help">'
        '<label for="file">Tệp danh sách (.xlsx, .csv, .pdf, .docx)'
        '<input id="file" name="file" type="file" accept=".xlsx,.csv,.pdf,.docx,.doc" required></label>'
        f'<label for="province">Tỉnh, thành phố<select id="province" name="province">{options}</select></label>'
        '<fieldset><legend>Cách áp dụng</legend>'
        '<label><input type="radio" name="mode" value="UPSERT" checked> Bổ sung, cập nhật</label>'
        '<label><input type="radio" name="mode" value="REPLACE_ALL"> Danh sách đầy đủ (sản phẩm không có trong '
        'tệp bị rút khỏi danh sách)</label></fieldset>'
        '<fieldset><legend>Loại danh sách</legend>'
        '<label><input type="radio" name="list" value="products" checked> Sản phẩm được công nhận</label>'
        '<label><input type="radio" name="list" value="revocation"> Sản phẩm bị thu hồi</label></fieldset>'
        '<button type="submit" class="primary">Xem trước</button></form>'
        f'<p id="file-help" class="detail">Tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB. Một tệp Excel có nhiều trang '
        'tính: bản xem trước cho chọn trang tính nào được đọc. Chưa có mẫu? Tải '
        '<a href="/mau-danh-sach.xlsx" download>mẫu danh sách (.xlsx)</a> có sẵn các cột và danh sách chọn.</p>'
        '</section>'
        '<div id="ket-qua" aria-live="polite"></div>'
        '<section class="card" aria-labelledby="b4"><h2 id="b4">Các lần gửi và thu thập của tỉnh</h2>'
        '<div id="lich-su-noi-dung">Nhập khóa API ở đầu trang để xem các lần gửi của tỉnh.</div></section>'
        f'<style>{CSS}</style><script>{JS}</script>')
    return page(TITLE, main, Day(None, current_date(), "/nop-du-lieu"), provinces)


def _kpis(s: ImportSummary) -> str:
    items = (("Tạo mới", s.created), ("Cập nhật", s.updated), ("Không đổi", s.unchanged), ("Rút khỏi danh sách",
             s.withdrawn), ("Bị loại", s.rejected), ("Có cảnh báo", s.warned), ("Xung đột với nguồn khác", s.conflicts))
    return '<ul class="kpis small">' + "".join(
        f'<li data-count="{e(name)}"><span class="n">{n}</span>{e(label)}</li>'
        for (label, n), name in zip(items, ("created", "updated", "unchanged", "withdrawn", "rejected", "warned",
                                            "conflicts"))) + "</ul>"


def _reading(p: Preview) -> str:
    """Sheets, header rows, each column and its field, unmapped columns, skipped rows (inspect's)."""
    if p.inspection is None:
        return '<p class="muted">Không có thông tin cách đọc tệp.</p>'
    r = p.inspection.reading
    facts = [("Loại tệp", p.inspection.kind)]
    if p.inspection.encoding:
        facts.append(("Bảng mã", p.inspection.encoding))
    if r.sheets:
        facts.append(("Trang tính được đọc", ", ".join(r.sheets)))
    facts.append(("Dòng tiêu đề", ", ".join(str(n) for n in r.header_rows) or "-"))
    if r.unmapped:
        facts.append(("Cột không dùng (giữ nguyên trong dòng gốc)", ", ".join(r.unmapped)))
    html = '<dl class="facts">' + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts) + "</dl>"
    html += table("Các cột của tệp và trường tương ứng", ["#", "Cột trong tệp", "Trường"],
                  [[str(c.index + 1), c.header, field_label(c.field) if c.field else "(không dùng)"] for c in r.columns],
                  numeric=[0], tid="xt-cot")
    skipped = [("" if s.reason == "sheet" else str(s.row_number), s.reason, s.text) for s in r.skipped]
    if skipped:
        html += table("Dòng, trang tính bỏ qua (không phải sản phẩm)", ["Dòng", "Vì", "Nội dung"], skipped, tid="xt-bo-qua")
    return html


def _sheet_choice(p: Preview) -> str:
    if len(p.workbook_sheets) < 2:
        return ""
    chosen = set(p.upload.sheets) or set(p.inspection.reading.sheets if p.inspection else p.workbook_sheets)
    boxes = "".join(f'<label><input type="checkbox" name="sheet" value="{e(name)}"'
                    f'{" checked" if name in chosen else ""}> {e(name)}</label>' for name in p.workbook_sheets)
    return ('<fieldset class="upload"><legend>Trang tính được đọc (bỏ chọn để không đọc)</legend>'
            f'{boxes}<button type="button" data-action="preview">Xem trước lại với các trang tính đã chọn</button>'
            '</fieldset>')


def _first_rows(p: Preview) -> str:
    if p.inspection is None or not p.inspection.rows:
        return ""
    shown = p.inspection.rows[:FIRST_ROWS]
    fields = [c.field for c in p.inspection.reading.columns if c.field]
    fields = list(dict.fromkeys(fields + sorted({f for r in shown for f in r.values} - set(fields))))
    rows = [[str(r.row_number), *(r.values.get(f, "") for f in fields)] for r in shown]
    return table(f"{len(shown)} dòng đầu như hệ thống đọc (trên {len(p.inspection.rows)} dòng)",
                 ["Dòng", *(field_label(f) for f in fields)], rows, tid="xt-dong-dau")


def _locations(p: Preview) -> list[str]:
    """Where each rejected row is (a sheet, a page), from inspect's reading of the same rows."""
    seen = p.inspection.rejected if p.inspection else []
    if [r.row_number for r in seen] == [r.row_number for r in p.summary.rejections]:
        return [place(r.location) for r in seen]
    return [""] * len(p.summary.rejections)


def _problems(p: Preview) -> str:
    s = p.summary
    rejected = [[str(r.row_number), where, f'<pre class="reason">{e(reasons(r.errors))}</pre>']
                for r, where in zip(s.rejections, _locations(p))]
    warned = [[str(w.row_number), f'<pre class="reason">{e(reasons(w.warnings))}</pre>'] for w in s.warnings]
    return (table(f"Dòng bị loại: {len(rejected)} (không được lưu)", ["Dòng", "Vị trí", "Lý do"],
                  [[e(a), e(b), c] for a, b, c in rejected], raw=True, tid="xt-bi-loai", empty="Không có dòng nào bị loại.")
            + table(f"Dòng có cảnh báo: {len(warned)} (được lưu, phần không đọc được để trống)", ["Dòng", "Cảnh báo"],
                    [[e(a), b] for a, b in warned], raw=True, tid="xt-canh-bao", empty="Không có cảnh báo."))


def preview_fragment(p: Preview, notice: str = "") -> str:
    s = p.summary
    conflicts = (f"<p>Tệp này sẽ mở <strong>{s.conflicts}</strong> xung đột: nguồn khác ghi khác về cùng sản phẩm "
                 "(hạng sao, nhóm, chủ thể, quyết định…); cả hai giá trị được giữ để đối chiếu.</p>"
                 if s.conflicts else "<p>Không mở xung đột nào với nguồn khác.</p>")
    return (
        '<section class="card" aria-labelledby="xt-h" id="xem-truoc">'
        f'<h2 id="xt-h" tabindex="-1" data-focus>Xem trước: {e(p.upload.filename)}, {e(p.province_name)} '
        '(chưa lưu gì)</h2>'
        + (f'<div class="notice" role="alert">{e(notice)}</div>' if notice else "")
        + f'<p>{s.rows_read} dòng đọc được. Nếu áp dụng:</p>{_kpis(s)}{conflicts}'
        + _sheet_choice(p)
        + f'<h3>Cách đọc tệp</h3>{_reading(p)}<div class="scroll">{_first_rows(p)}</div>'
        + f'<h3>Dòng bị loại và cảnh báo</h3><div class="scroll">{_problems(p)}</div>'
        + '<p><button type="button" class="primary" data-action="apply" '
        f'value="{e(p.token)}">Áp dụng đúng bản xem trước này</button> '
        '<span class="detail">Nếu tệp hoặc dữ liệu đã thay đổi từ lúc xem trước, hệ thống không áp dụng mà xem trước lại.'
        '</span></p></section>')


def summary_fragment(s: ImportSummary, province_code: str, province_name: str, filename: str) -> str:
    """What an applied batch did: its counts, warnings by code, the rejected rows, the province's page."""
    head = (f"Đã áp dụng trước đó: lô {s.batch_id}" if s.replayed else f"Đã áp dụng: lô {s.batch_id}")
    counts = s.warning_counts
    warnings = table("Cảnh báo theo mã", ["Mã", "Nghĩa", "Số dòng"],
                     [[code, CODE_LABELS.get(code, ""), str(n)] for code, n in counts.items()], numeric=[2],
                     tid="tt-canh-bao", empty="Không có cảnh báo.")
    links = []
    if s.rejected:
        links.append(f'<a href="/nop-du-lieu/dong-bi-loai/{s.batch_id}.xlsx" '
                     f'data-export="dong-bi-loai-lo-{s.batch_id}.xlsx" id="tai-dong-bi-loai">'
                     f'Tải {s.rejected} dòng bị loại (.xlsx, có cột “Lý do”)</a>')
    links.append(f'<a href="/province/{e(province_code)}" id="trang-tinh">Xem trang của {e(province_name)}</a>')
    return (f'<section class="card" aria-labelledby="tt-h" id="tom-tat" data-applied="{s.batch_id}">'
            f'<h2 id="tt-h" tabindex="-1" data-focus>{e(head)}</h2>'
            f'<div class="done" role="status">Tệp {e(filename)} đã được ghi vào hệ thống cho {e(province_name)}.</div>'
            f'{_kpis(s)}{warnings}<p class="links">{"".join(links)}</p></section>')


def refusal_fragment(message: str, detail: str = "") -> str:
    """A refusal: the officer's sentence, the hub's own words below it; nothing was stored."""
    more = f'<p class="detail">Chi tiết: {e(detail)}</p>' if detail else ""
    return (f'<section class="card" aria-labelledby="tc-h" id="tu-choi"><h2 id="tc-h" tabindex="-1" data-focus>'
            f'Không nhận tệp, không lưu gì</h2><div class="error" role="alert">{e(message)}</div>{more}</section>')


def message_fragment(title: str, message: str, ok: bool) -> str:
    return (f'<section class="card" aria-labelledby="tb-h"><h2 id="tb-h" tabindex="-1" data-focus>{e(title)}</h2>'
            f'<div class="{"done" if ok else "error"}" role="{"status" if ok else "alert"}">{e(message)}</div></section>')

