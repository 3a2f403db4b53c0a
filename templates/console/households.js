// The console's household pages: the registry list, one household's page, and the import with
// its progress bar. Uses the helpers of app.js ($, api, text, show, message, time).
'use strict';

const HOUSEHOLD = {
  risk: { HIGH: '高风险', MEDIUM: '中风险', LOW: '低风险' },
  status: { ACTIVE: '在册', SUSPENDED: '暂停', EXITED: '已退出' },
  visit: { DUE: '待走访', DONE: '已走访', CANCELLED: '已取消' },
  change: { created: '建档', updated: '信息更新（导入或修改）', assigned: '指定负责社工', moved: '移交给其他社工',
            exited: '退出在册', edited: '修改信息', enrolled_jiance: '纳入低收入监测对象', risk_high: '风险等级调为高', risk_medium: '风险等级调为中', risk_low: '风险等级调为低' },
  import: { QUEUED: '排队中……', RUNNING: '正在导入', DONE: '导入完成', FAILED: '导入没有完成' },
  importError: { no_heading: '前 10 行里找不到表头（需要有“姓名”和“身份证号”或“人员类别”这几列）。',
                 unreadable: '文件打不开：请确认是 .xlsx 或 .csv 格式。',
                 interrupted: '导入中断了（服务重启）。请重新导入同一个文件，已导入的行不会重复。' }
};

let hMeta = null;
let hPage = 0;
let hCurrent = null;

async function householdMeta() {
  if (hMeta) return;
  hMeta = await api('GET', '/api/registry/meta');
  for (const c of hMeta.categories) {
    const o = text(document.createElement('option'), c.label); o.value = c.code; $('h-category').appendChild(o);
  }
  const all = await stationList();
  fillCounties($('h-county'), all);
  const fill = () => fillTownships($('h-township'), $('h-county').value, all);
  $('h-county').addEventListener('change', fill);
  fill();
}

async function loadHouseholds() {
  show('households');
  await householdMeta();
  const hq = hashQuery(); // a link from the dashboard or the report: #/households?category=…&county=…
  if ([...hq.keys()].length) {
    $('h-county').value = hq.get('county') || '';
    $('h-county').dispatchEvent(new Event('change'));
    $('h-township').value = hq.get('township') || '';
    $('h-category').value = hq.get('category') || '';
    $('h-risk').value = '';       // the other filters as the figure counted: in care, any risk, no ID search
    $('h-status').value = 'ACTIVE';
    $('h-id').value = '';
    hPage = 0;
    history.replaceState(null, '', '#/households'); // from here the form's own filters apply
  }
  const params = new URLSearchParams({ page: String(hPage), status: $('h-status').value });
  for (const [key, id] of [['county', 'h-county'], ['township', 'h-township'], ['category', 'h-category'], ['risk', 'h-risk']]) {
    if ($(id).value) params.set(key, $(id).value);
  }
  if ($('h-id').value.trim()) params.set('idNumber', $('h-id').value.trim());
  const tbody = $('h-rows');
  tbody.replaceChildren();
  const all = new URLSearchParams(params);
  all.delete('page');
  $('h-excel').href = '/api/households.xlsx?' + all;
  try {
    const result = await api('GET', '/api/households?' + params);
    text($('h-total'), '共 ' + result.total + ' 户');
    text($('h-page'), '第 ' + (hPage + 1) + ' 页');
    $('h-prev').disabled = hPage === 0;
    $('h-next').disabled = (hPage + 1) * 20 >= result.total;
    for (const h of result.items) {
      const tr = document.createElement('tr');
      if (h.risk === 'HIGH') tr.className = 'urgent';
      tr.dataset.id = h.id;
      for (const v of [h.name, h.place, h.categories.join('、'), HOUSEHOLD.risk[h.risk], h.worker || '未指定', h.nextVisit]) {
        tr.appendChild(text(document.createElement('td'), v));
      }
      tr.addEventListener('click', () => { location.hash = '#/household/' + h.id; });
      tbody.appendChild(tr);
    }
  } catch (e) { text($('h-total'), message(e.code)); }
}

async function openHousehold(id, notice) {
  show('household');
  text($('hh-error'), notice || '');
  try { hCurrent = await api('GET', '/api/households/' + id); } catch (e) { text($('hh-error'), message(e.code)); return; }
  const h = hCurrent;
  text($('hh-title'), h.name + (h.risk === 'HIGH' ? '（高风险）' : ''));
  text($('hh-place'), h.place + (h.address ? '  ' + h.address : ''));
  text($('hh-categories'), h.categories.map(c => c.label + '（' + c.since + ' 纳入）').join('、'));
  text($('hh-risk'), HOUSEHOLD.risk[h.risk]);
  text($('hh-status'), HOUSEHOLD.status[h.status] + (h.exitReason ? '：' + h.exitReason : ''));
  text($('hh-worker'), h.worker.name || '未指定');
  text($('hh-rule'), h.rule.name ? h.rule.name + (h.rule.source ? '（依据：' + h.rule.source + '）' : '') : '没有适用的走访规定');
  const next = h.visits.find(v => v.next);
  text($('hh-next'), next ? next.due + '（走访编号 ' + next.code + '）' : '无');
  text($('hh-plan'), h.plan || '未填写');
  const members = $('hh-members');
  members.replaceChildren();
  for (const m of h.members) {
    const tr = document.createElement('tr');
    for (const v of [m.name, m.relation, m.idNumber, m.phone]) tr.appendChild(text(document.createElement('td'), v));
    members.appendChild(tr);
  }
  const move = $('hh-move-to');
  move.replaceChildren();
  for (const w of h.workers.filter(w => w.id !== h.worker.id)) {
    const o = text(document.createElement('option'), w.name); o.value = w.id; move.appendChild(o);
  }
  $('hh-actions').hidden = h.status !== 'ACTIVE';
  $('hh-edit').hidden = !h.editable;
  $('hh-move').disabled = move.options.length === 0;
  const visits = $('hh-visits');
  visits.replaceChildren();
  for (const v of h.visits) {
    const tr = document.createElement('tr');
    if (v.next) tr.className = 'next';
    const done = v.status === 'DONE' ? v.doneOn + ' ' + v.by + (v.note ? '：' + v.note : '') : '';
    for (const x of [v.code, v.due, v.rule, HOUSEHOLD.visit[v.status], done]) tr.appendChild(text(document.createElement('td'), x));
    visits.appendChild(tr);
  }
  const history = $('hh-history');
  history.replaceChildren();
  for (const c of h.history) {
    const li = text(document.createElement('li'), HOUSEHOLD.change[c.what] || c.what);
    li.appendChild(text(document.createElement('small'), (c.by ? c.by + ' · ' : '') + time(c.at)));
    history.appendChild(li);
  }
}

async function householdAct(method, path, body) {
  try { await api(method, '/api/households/' + hCurrent.id + path, body); await openHousehold(hCurrent.id); }
  catch (e) { await openHousehold(hCurrent.id, message(e.code)); }
}

async function startImport(ev) {
  ev.preventDefault();
  const file = $('import-file').files[0];
  if (!file) return;
  text($('import-error'), '');
  $('import-start').disabled = true;
  try {
    const res = await fetch('/api/households/import?name=' + encodeURIComponent(file.name), {
      method: 'POST', body: file, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': me.csrf, 'Accept': 'application/json' } });
    const data = await res.json();
    if (!res.ok) throw Object.assign(new Error(data.error), { code: data.error });
    $('import-status').hidden = false;
    $('import-rejected').hidden = true;
    text($('import-result'), '');
    await followImport(data.id);
  } catch (e) { text($('import-error'), message(e.code)); }
  $('import-start').disabled = false;
}

// Polls the import's progress (bounded: it stops when the import ends or the page moves away).
async function followImport(id) {
  for (;;) {
    const s = await api('GET', '/api/imports/' + id);
    const percent = s.total ? Math.min(100, Math.round(s.done * 100 / s.total)) : 0;
    $('import-progress').value = s.state === 'DONE' ? 100 : percent;
    text($('import-text'), HOUSEHOLD.import[s.state] + (s.state === 'RUNNING' ? '：' + s.done + ' / 约 ' + s.total + ' 行' : ''));
    if (s.state === 'DONE') {
      const c = s.counts;
      text($('import-result'), '新建 ' + (c.CREATED || 0) + ' 户，更新 ' + (c.UPDATED || 0) + ' 户，没有变化 ' + (c.UNCHANGED || 0)
        + ' 户，未导入 ' + (c.REJECTED || 0) + ' 行。' + (s.unmapped.length ? '没有导入的列：' + s.unmapped.join('、') + '。' : ''));
      if (s.rejected) {
        $('import-rejected').href = '/api/imports/' + id + '/rejected.csv';
        $('import-rejected').hidden = false;
      }
      hPage = 0;
      loadHouseholds();
      return;
    }
    if (s.state === 'FAILED') { text($('import-result'), HOUSEHOLD.importError[s.error] || HOUSEHOLD.import.FAILED); return; }
    if ($('households').hidden) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

$('h-filters').addEventListener('submit', (ev) => { ev.preventDefault(); hPage = 0; loadHouseholds(); });
$('h-prev').addEventListener('click', () => { hPage = Math.max(0, hPage - 1); loadHouseholds(); });
$('h-next').addEventListener('click', () => { hPage += 1; loadHouseholds(); });
$('import-form').addEventListener('submit', startImport);
$('hh-move').addEventListener('click', () => householdAct('PUT', '/worker', { workerId: $('hh-move-to').value }));
$('hh-exit').addEventListener('click', () => householdAct('POST', '/exit', { reason: $('hh-exit-reason').value }));
