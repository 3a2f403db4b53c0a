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
    t.rows.concat(t.total ? [t.total] : []).forEach((row, i) => {
      const tr = document.createElement('tr');
      const isTotal = t.total && row === t.total;
      if (isTotal) tr.className = 'total';
      row.forEach((v, col) => {
        const td = document.createElement('td');
        const hash = col > 0 && v !== '' ? reportLink(t.key, isTotal ? '' : (t.codes || [])[i], col, r, params) : null;
        if (hash && (isTotal || (t.codes || [])[i])) td.appendChild(text(Object.assign(document.createElement('a'), { href: hash }), v));
        else text(td, v === '' ? '—' : v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    box.appendChild(table);
  }
}

/**
 * The records behind a number of the report: a request count opens the inbox for the period's
 * requests of that category in that status; a visit count the visits of that category in that
 * state; a household count the registry of that category.
 */
function reportLink(key, code, col, r, params) {
  const area = {};
  if (params.get('county')) area.county = params.get('county');
  if (params.get('township')) area.township = params.get('township');
  const q = (o) => new URLSearchParams(Object.assign({}, area, o)).toString();
  if (key === 'requests') {
    const status = [null, 'ALL', 'ALL', 'CLOSED', '', 'CANCELLED'][col];
    const f = { status, from: r.from, to: r.to };
    if (code) f.category = code;
    if (col === 2) f.urgent = 'true';
    for (const k of Object.keys(f)) if (!f[k]) delete f[k];
    return '#/inbox?' + q(f);
  }
  if (key === 'visits') {
    const f = { period: params.get('period') || '' };
    const state = [null, '', 'ON_TIME', 'LATE', 'MISSED', 'OPEN'][col];
    if (state) f.state = state;
    if (code) f.category = code;
    for (const k of Object.keys(f)) if (!f[k]) delete f[k];
    return '#/visits?' + q(f);
  }
  if (key === 'households' && col === 1) return '#/households?' + q(code ? { category: code } : {});
  return null;
}

$('rp-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadReport(); });
$('rp-print').addEventListener('click', () => window.print());
