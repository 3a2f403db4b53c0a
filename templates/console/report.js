// The console's report page (工作报表): a period and an area, the tables, the Excel file, a print
// view that fits A4. Uses the helpers of app.js ($, api, text, show, message, time, me).
'use strict';

async function loadReport() {
  show('report');
  if (!$('rp-area').options.length) {
    const stations = await stationList();
    const pairs = [['', me.role === 'CITY' ? '全市' : me.role === 'COUNTY' ? '全县' : '本乡镇']];
    if (me.role === 'CITY') {
      for (const [code, name] of new Map(stations.map(s => [s.code.slice(0, 6), s.county]))) pairs.push(['county:' + code, name]);
    }
    if (me.role !== 'STATION') for (const s of stations) pairs.push(['township:' + s.code, s.county + s.township]);
    fillSelect($('rp-area'), pairs, null);
  }
  const params = new URLSearchParams();
  if ($('rp-period').value.trim()) params.set('period', $('rp-period').value.trim());
  const [kind, code] = $('rp-area').value.split(':');
  if (kind && code) params.set(kind, code);
  $('rp-excel').href = '/api/report.xlsx?' + params;
  let r;
  try { r = await api('GET', '/api/report?' + params); } catch (e) { text($('rp-meta'), message(e.code)); return; }
  text($('rp-title'), r.title + '（' + r.area + '）');
  text($('rp-meta'), '统计期间：' + r.from + ' 至 ' + r.to + '　导出时间：' + time(r.at));
  const box = $('rp-tables');
  box.replaceChildren();
  for (const t of r.tables) {
    box.appendChild(text(document.createElement('h3'), t.title));
    const table = document.createElement('table');
    table.className = 'report';
    const head = document.createElement('tr');
    for (const h of t.headings) head.appendChild(text(document.createElement('th'), h));
    table.appendChild(document.createElement('thead')).appendChild(head);
    const body = table.appendChild(document.createElement('tbody'));
    if (!t.rows.length) {
      const tr = document.createElement('tr');
      const td = text(document.createElement('td'), '本期没有记录');
      td.colSpan = t.headings.length;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    for (const row of t.rows.concat(t.total ? [t.total] : [])) {
      const tr = document.createElement('tr');
      if (t.total && row === t.total) tr.className = 'total';
      for (const v of row) tr.appendChild(text(document.createElement('td'), v === '' ? '—' : v));
      body.appendChild(tr);
    }
    box.appendChild(table);
  }
}

$('rp-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadReport(); });
$('rp-print').addEventListener('click', () => window.print());
