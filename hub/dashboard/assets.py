"""The page's stylesheet and script, inlined in every page: nothing is fetched from another host
or even another URL (one request per page; a few kilobytes), and nothing needs package data.

The script does four things only, and the page works without it:
* keeps the API key the reader enters in sessionStorage (gone when the tab closes; never a
  cookie, so no request carries it unless this script adds it: no CSRF on the API's mutations);
* with a key, re-requests the page's ``data-keyed`` regions (the product table, the product
  detail) with ``Authorization: Bearer`` and swaps them in: the server renders them as that key
  may see them, by the API's rules;
* with a key, downloads the CSV/Parquet exports with the same header;
* fills a ``data-deferred`` region (a figure too slow to hold the page for) from its own URL.
"""
from __future__ import annotations

CSS = """
:root{--ink:#1a1a1a;--muted:#4d4d4d;--link:#0b4f8a;--line:#d0d0d0;--bg:#f6f7f9;--card:#fff;--warn:#8a3b00;--ok:#1d6b2f}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
svg a:focus-visible rect{stroke:#000;stroke-width:3}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header.top{background:#123b63;color:#fff;padding:10px 20px;display:flex;flex-wrap:wrap;gap:12px 24px;align-items:center}
header.top a{color:#fff}
.brand{font-weight:700;font-size:18px;margin:0}
header.top nav ul{list-style:none;margin:0;padding:0;display:flex;gap:16px;flex-wrap:wrap;align-items:center}
header.top label{font-size:14px}
header.top input,header.top select{font:inherit;padding:3px 6px}
#key-status{font-size:14px}
button,.button{font:inherit;padding:4px 12px;border:1px solid #123b63;background:#fff;color:#123b63;border-radius:3px;cursor:pointer}
main{max-width:1280px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:26px;margin:8px 0 4px}
h2{font-size:19px;margin:0 0 8px}
h3{font-size:16px;margin:12px 0 6px}
.lede{color:var(--muted);margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:4px;padding:14px 16px;break-inside:avoid}
.wide{grid-column:1/-1}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:0 0 16px;padding:0;list-style:none}
.kpis li{background:var(--card);border:1px solid var(--line);border-radius:4px;padding:10px 14px}
.kpis .n{display:block;font-size:30px;font-weight:700}
.chart{max-width:100%;height:auto}
.maprow{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.links{font-size:14px;margin:8px 0 0}
.links a{margin-right:12px}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.stale{color:var(--warn);font-weight:600}.current{color:var(--ok)}
.muted{color:var(--muted)}
.plain{list-style:none;margin:0;padding:0}
.filters fieldset{border:0;padding:0;margin:0}.filters legend{font-size:13px}.inline{flex-direction:row!important;gap:4px;align-items:center}
details{margin-top:6px}summary{cursor:pointer;color:var(--link)}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end;margin-bottom:10px}
.filters label{display:flex;flex-direction:column;font-size:13px}
.filters input,.filters select{font:inherit;padding:3px 6px}
.pager{display:flex;gap:16px;margin:8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.error{background:#fdecea;border:1px solid #b3261e;color:#8c1d18;padding:8px 12px;border-radius:4px}
.scroll{overflow-x:auto}
footer{max-width:1280px;margin:0 auto;padding:0 20px 30px;color:var(--muted);font-size:13px}
.print-only{display:none}
@media print{
 @page{size:A4;margin:12mm}
 body{background:#fff;font-size:11pt}
 header.top,.links,.filters,.pager,details,.no-print,footer .no-print{display:none!important}
 .print-only{display:block}
 main{max-width:none;padding:0}
 .grid{display:block}.card{border:0;padding:0 0 10mm;page-break-inside:avoid}
 a{color:var(--ink);text-decoration:none}
 .kpis{grid-template-columns:repeat(4,1fr)}
 table{font-size:9pt}
}
"""

JS = """
(function(){
'use strict';
var KEY='ocopHubKey';
var form=document.getElementById('key-form'),input=document.getElementById('key-input'),
    clear=document.getElementById('key-clear'),status=document.getElementById('key-status');
function key(){try{return sessionStorage.getItem(KEY)||'';}catch(e){return '';}}
function auth(){var k=key();return k?{'Authorization':'Bearer '+k}:{};}
function say(text){if(status)status.textContent=text;}
function swap(href,parts,quiet){
  var url=new URL(href,location.href);url.searchParams.set('_part','keyed');
  return fetch(url,{headers:auth(),cache:'no-store'}).then(function(r){
    if(r.status===401){say('Khóa API không hợp lệ hoặc đã bị thu hồi.');return false;}
    if(!r.ok){if(!quiet)say('Không tải được dữ liệu (lỗi '+r.status+').');return false;}
    return r.text().then(function(html){
      var doc=new DOMParser().parseFromString(html,'text/html');
      parts.forEach(function(p){var n=doc.getElementById(p.id);if(n)p.replaceWith(document.importNode(n,true));});
      return true;
    });
  }).catch(function(){say('Không kết nối được máy chủ.');return false;});
}
function refresh(){
  var k=key(),parts=Array.prototype.slice.call(document.querySelectorAll('[data-keyed]'));
  if(clear)clear.hidden=!k;
  if(!k){say('Chưa nhập khóa: bạn đang xem như khách.');return;}
  if(!parts.length){say('Đã nhập khóa API.');return;}
  say('Đang tải dữ liệu theo khóa…');
  swap(location.href,parts).then(function(done){
    if(!done)return;
    document.documentElement.setAttribute('data-keyed-view','1');
    say('Đang dùng khóa API: dữ liệu cá nhân hiển thị theo quyền của khóa.');
  });
}
Array.prototype.forEach.call(document.querySelectorAll('[data-deferred]'),function(p){
  swap(p.getAttribute('data-deferred'),[p],true);
});
if(form)form.addEventListener('submit',function(e){
  e.preventDefault();var v=input.value.trim();
  if(v){try{sessionStorage.setItem(KEY,v);}catch(err){say('Trình duyệt không cho lưu khóa.');return;}input.value='';}
  refresh();
});
if(clear)clear.addEventListener('click',function(){sessionStorage.removeItem(KEY);location.reload();});
document.addEventListener('click',function(e){
  var a=e.target.closest&&e.target.closest('a[data-export]');
  if(!a||!key())return;
  e.preventDefault();say('Đang tải xuống…');
  fetch(a.href,{headers:auth()}).then(function(r){
    if(!r.ok){say('Tải xuống thất bại (lỗi '+r.status+').');return;}
    return r.blob().then(function(b){
      var u=URL.createObjectURL(b),t=document.createElement('a');
      t.href=u;t.download=a.getAttribute('data-export');document.body.appendChild(t);t.click();t.remove();
      setTimeout(function(){URL.revokeObjectURL(u);},2000);say('Đã tải xuống theo khóa API.');
    });
  });
});
var print=document.getElementById('print');
if(print)print.addEventListener('click',function(){window.print();});
refresh();
})();
"""
