"""The submission page's own script and a few style rules, inlined beside the dashboard's (whose
script keeps the key in sessionStorage and downloads ``a[data-export]`` links with it).

The script sends the chosen file with the key in an Authorization header (never a cookie: no
CSRF) and puts the HTML the server rendered (escaped there) into the page: the preview, the
summary, the history. It checks nothing the server does not check again; it only refuses an
oversized file before sending 50 MB for nothing.
"""
from __future__ import annotations

CSS = """
.steps{counter-reset:step}
.upload{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:flex-end}
.upload label,.upload fieldset{display:flex;flex-direction:column;font-size:14px}
.upload fieldset{border:1px solid var(--line);border-radius:4px;padding:4px 10px}
.upload fieldset label{flex-direction:row;gap:6px;align-items:center}
.upload input,.upload select{font:inherit}
.primary{background:#123b63;color:#fff}
.notice{background:#fff7e0;border:1px solid #c98a00;padding:8px 12px;border-radius:4px}
.done{background:#e8f5ea;border:1px solid var(--ok);padding:8px 12px;border-radius:4px}
.detail{font-size:13px;color:var(--muted);margin:4px 0 0}
.kpis.small{grid-template-columns:repeat(auto-fit,minmax(130px,1fr))}.kpis.small .n{font-size:22px}
main>section.card,#ket-qua>section{margin-bottom:16px}
pre.reason{white-space:pre-wrap;margin:0;font:inherit}
[aria-busy=true]{opacity:.6}
"""

JS = """
(function(){
'use strict';
var KEY='ocopHubKey';
var form=document.getElementById('upload-form'),out=document.getElementById('ket-qua'),
    hist=document.getElementById('lich-su-noi-dung'),keyForm=document.getElementById('key-form');
if(!form||!out)return;
var MAX=+form.getAttribute('data-max-bytes');
function key(){try{return sessionStorage.getItem(KEY)||'';}catch(e){return '';}}
function box(cls,text){var d=document.createElement('div');d.className=cls;d.setAttribute('role','alert');
  d.setAttribute('tabindex','-1');d.textContent=text;return d;}
function show(html){out.innerHTML=html;var f=out.querySelector('[data-focus]')||out.firstElementChild;if(f)f.focus();}
function fail(text){out.innerHTML='';var d=box('error',text);out.appendChild(d);d.focus();}
function post(url,fd){
  var k=key();
  if(!k){fail('Chưa có khóa API: nhập khóa API của tỉnh vào ô “Khóa API” ở đầu trang rồi thử lại.');return;}
  out.setAttribute('aria-busy','true');
  return fetch(url,{method:'POST',headers:{'Authorization':'Bearer '+k},body:fd,cache:'no-store'}).then(function(r){
    if(r.status===401){fail('Khóa API không đúng hoặc đã bị thu hồi: kiểm tra lại khóa ở đầu trang.');return;}
    if(r.status===413){fail('Tệp quá lớn: tối đa '+Math.round(MAX/1048576)+' MB.');return;}
    if((r.headers.get('content-type')||'').indexOf('text/html')!==0){fail('Máy chủ trả lời lỗi '+r.status+'.');return;}
    return r.text().then(function(h){show(h);if(out.querySelector('[data-applied]'))history();});
  }).catch(function(){fail('Không kết nối được máy chủ.');}).then(function(){out.removeAttribute('aria-busy');});
}
function fields(token){
  var fd=new FormData(form);
  Array.prototype.forEach.call(out.querySelectorAll('input[name=sheet]:checked'),function(c){fd.append('sheet',c.value);});
  if(token)fd.append('token',token);
  return fd;
}
function preview(){
  var file=form.elements.file.files[0];
  if(!file){fail('Hãy chọn tệp danh sách (.xlsx, .csv, .pdf hoặc .docx).');return;}
  if(file.size>MAX){fail('Tệp quá lớn ('+Math.round(file.size/1048576)+' MB): tối đa '+Math.round(MAX/1048576)+' MB. Chưa gửi gì.');return;}
  post('/nop-du-lieu/xem-truoc',fields(''));
}
form.addEventListener('submit',function(e){e.preventDefault();preview();});
form.addEventListener('change',function(){out.innerHTML='';});
out.addEventListener('change',function(e){
  if(e.target.name!=='sheet')return;
  var a=out.querySelector('button[data-action=apply]');
  if(a){a.disabled=true;a.textContent='Đã đổi trang tính: bấm “Xem trước lại” trước khi áp dụng';}
});
out.addEventListener('click',function(e){
  var b=e.target.closest&&e.target.closest('button[data-action]');
  if(!b)return;
  if(b.getAttribute('data-action')==='apply')post('/nop-du-lieu/ap-dung',fields(b.value));
  else if(b.getAttribute('data-action')==='preview')preview();
});
function history(){
  var k=key();
  if(!hist)return;
  if(!k){hist.textContent='Nhập khóa API ở đầu trang để xem các lần gửi của tỉnh.';return;}
  var p=form.elements.province.value;
  fetch('/nop-du-lieu/lich-su'+(p?'?province='+encodeURIComponent(p):''),{headers:{'Authorization':'Bearer '+k},cache:'no-store'})
    .then(function(r){
      if(r.status===401){hist.textContent='Khóa API không đúng hoặc đã bị thu hồi.';return;}
      return r.text().then(function(h){hist.innerHTML=h;});
    }).catch(function(){hist.textContent='Không kết nối được máy chủ.';});
}
if(hist)hist.addEventListener('click',function(e){
  var b=e.target.closest&&e.target.closest('button[data-revert]');
  if(!b)return;
  var k=key();
  b.disabled=true;
  fetch('/nop-du-lieu/hoan-tac/'+b.getAttribute('data-revert'),{method:'POST',headers:{'Authorization':'Bearer '+k},cache:'no-store'})
    .then(function(r){return r.text().then(function(h){show(h);history();});})
    .catch(function(){fail('Không kết nối được máy chủ.');});
});
form.elements.province.addEventListener('change',history);  // after the form's own listener
if(keyForm)keyForm.addEventListener('submit',function(){setTimeout(history,0);});
history();
})();
"""
