// The inbox (求助收件箱) and a case's page: filters kept in the address (a reload or a link keeps them),
// search by number or phone across every status, and what staff do on a case. Uses the helpers of app.js.
'use strict';

let page = 0;
// Each inbox filter: its query parameter and its control. The address holds them (#/inbox?status=ALL…).
const INBOX_FILTERS = [['status', 'f-status'], ['category', 'f-category'], ['county', 'f-county'], ['township', 'f-township'],
                       ['from', 'f-from'], ['to', 'f-to'], ['q', 'f-q']];

/** Shows the inbox with these filters (from a dashboard card or the form): the address changes, the route loads it. */
function showInbox(filters) { showList('#/inbox', filters, loadInbox); }

function inboxForm() {
  const f = formValues(INBOX_FILTERS);
  if ($('f-urgent').checked) f.urgent = 'true';
  const only = hashQuery().get('only');
  if (only) f.only = only;
  return f;
}

async function loadInbox() {
  show('inbox');
  const stations = await stationList();
  if ($('f-county').options.length < 2) fillCounties($('f-county'), stations);
  const q = hashQuery();
  page = Number(q.get('page')) || 0;
  $('f-county').value = q.get('county') || '';
  fillTownships($('f-township'), $('f-county').value, stations);
  for (const [key, id] of INBOX_FILTERS) $(id).value = q.get(key) || '';
  $('f-urgent').checked = q.get('urgent') === 'true';
  text($('inbox-only'), { overdue: '只看超过期限的求助', waiting: '只看还没派给社工的求助' }[q.get('only')] || '');
  $('inbox-only-clear').hidden = !q.get('only');
  const params = new URLSearchParams(q);
  params.set('page', String(page));
  const tbody = $('cases');
  tbody.replaceChildren();
  const all = new URLSearchParams(params);
  all.delete('page');
  $('inbox-excel').href = '/api/cases.xlsx?' + all;
  try {
    const result = await api('GET', '/api/cases?' + params);
    text($('inbox-total'), result.total ? '共 ' + result.total + ' 条' : '没有符合条件的求助。');
    text($('page'), '第 ' + (page + 1) + ' 页');
    $('page-prev').disabled = page === 0;
    $('page-next').disabled = (page + 1) * 20 >= result.total;
    for (const c of result.items) {
      const tr = document.createElement('tr');
      if (c.urgent) tr.className = 'urgent';
      if (c.deadline && c.deadline.state !== 'OK') tr.classList.add('due-' + c.deadline.state.toLowerCase());
      if (c.escalated) tr.classList.add('escalated');
      tr.dataset.id = c.id;
      for (const v of [c.number, LABELS.category[c.category], (c.county + c.township) || '乡镇未知',
                       LABELS.status[c.status], time(c.createdAt), deadlineText(c.deadline)]) {
        tr.appendChild(text(document.createElement('td'), v));
      }
      const quick = document.createElement('td');
      if (c.status === 'NEW' && c.township) {
        const b = text(document.createElement('button'), '派到' + c.township);
        b.addEventListener('click', async (ev) => {
          ev.stopPropagation();
          try { await api('POST', '/api/cases/' + c.id + '/assign', { version: c.version }); } catch (e) { alert(message(e.code)); }
          loadInbox();
        });
        quick.appendChild(b);
      }
      tr.appendChild(quick);
      tr.addEventListener('click', () => { location.hash = '#/case/' + c.id; });
      tbody.appendChild(tr);
    }
  } catch (e) { text($('inbox-total'), message(e.code)); }
}

let current = null;

function deadlineText(d) {
  if (!d) return '';
  return LABELS.step[d.step] + (d.state === 'OK' ? '：' : LABELS.state[d.state]) + minute(d.due) + (d.state === 'OK' ? ' 前' : '');
}

async function openCase(id, notice) {
  show('case');
  text($('case-error'), notice || '');
  try { current = await api('GET', '/api/cases/' + id); } catch (e) { text($('case-error'), message(e.code)); return; }
  const c = current;
  text($('c-title'), c.number + (c.urgent ? '（紧急）' : ''));
  text($('c-category'), LABELS.category[c.category]);
  text($('c-place'), (c.county + c.township) || '乡镇未知');
  text($('c-status'), LABELS.status[c.status]);
  text($('c-assignee'), c.assignee || '');
  text($('c-rule'), c.rule || '');
  text($('c-deadlines'), (c.deadlines || []).map(deadlineText).join('；') + (c.calendarGap ? '（' + c.calendarGap
    + ' 年的节假日安排还没有录入，期限暂按周一至周五计算；请市级管理员更新 templates/calendar/holidays.yaml）' : ''));
  showOutcomes();
  $('alert-waiting').hidden = !c.alertWaiting;
  if (c.alertWaiting) text($('alert-text'), '紧急求助还没有人确认收到（已通知到' + LABELS.level[c.alertWaiting.level] + '）。');
  $('place').hidden = !!c.township;
  if (!c.township) fillPlaces();
  const worker = $('worker');
  worker.replaceChildren(text(Object.assign(document.createElement('option'), { value: '' }), '只派到社工站'));
  for (const w of c.workers) {
    const o = document.createElement('option');
    o.value = w.id;
    text(o, w.name + '（' + LABELS.worker[w.role] + '，在办 ' + w.openCases + '/' + w.capacity + '）');
    worker.appendChild(o);
  }
  text($('window'), c.windowOpen ? LABELS.window.open : LABELS.window.closed);
  $('re-category').value = c.category;
  $('re-urgent').checked = c.urgent;
  const notes = $('notes');
  notes.replaceChildren();
  for (const n of c.notes) {
    const li = text(document.createElement('li'), n.text);
    li.appendChild(text(document.createElement('small'), n.author + ' · ' + time(n.at)));
    notes.appendChild(li);
  }
  const media = $('media');
  media.replaceChildren();
  for (const m of c.media) {
    const li = document.createElement('li');
    const src = '/api/cases/' + c.id + '/media/' + m.id;
    if (m.status === 'stored' && !m.viewable) {
      text(li, LABELS.media.station_only);
    } else if (m.status === 'stored' && m.kind === 'image') {
      li.appendChild(Object.assign(document.createElement('img'), { src, alt: '走访照片', className: 'photo' }));
    } else if (m.status === 'stored') {
      li.appendChild(Object.assign(document.createElement(m.kind === 'video' ? 'video' : 'audio'), { src, controls: true }));
      li.appendChild(text(Object.assign(document.createElement('a'), { href: src, download: m.id }), ' 下载'));
    } else {
      text(li, LABELS.media[m.status] || m.status);
    }
    if (m.recognition) li.appendChild(text(document.createElement('p'), '语音转文字：' + m.recognition));
    li.appendChild(text(document.createElement('small'), (m.author === 'resident' ? '居民' : m.author) + ' · ' + time(m.at)));
    media.appendChild(li);
  }
  text($('c-contact'), [c.name, c.phone].filter(Boolean).join('  '));
  text($('c-description'), c.description);
  text($('c-rating'), c.rating ? c.rating + ' 分' + (c.comment ? '：' + c.comment : '') : '');
  $('assign').disabled = !c.township || !(c.status === 'NEW' || c.status === 'ASSIGNED');
  $('reopen').disabled = c.status === 'NEW' || c.status === 'ASSIGNED' || c.status === 'IN_PROGRESS';
  $('close').disabled = !(c.status === 'ASSIGNED' || c.status === 'IN_PROGRESS');
  const transcript = $('transcript');
  transcript.replaceChildren();
  for (const m of c.transcript) {
    const li = document.createElement('li');
    li.className = m.direction;
    text(li, m.content || '［' + m.type + '］');
    li.appendChild(text(document.createElement('small'), (m.direction === 'IN' ? '居民 · ' : '服务号 · ') + time(m.at)));
    transcript.appendChild(li);
  }
  const deliveries = $('deliveries');
  deliveries.replaceChildren();
  if (!c.deliveries.length) deliveries.appendChild(text(document.createElement('li'), '还没有给居民发过消息。'));
  for (const d of c.deliveries) {
    const li = text(document.createElement('li'), d.text || LABELS.notice[d.notice] || d.notice);
    li.appendChild(text(document.createElement('small'), minute(d.at) + ' · ' + deliveryText(d)));
    if (d.status === 'FAILED' || d.status === 'UNREACHABLE' || d.status === 'UNDELIVERABLE') li.className = 'failed';
    deliveries.appendChild(li);
  }
  const timeline = $('timeline');
  timeline.replaceChildren();
  for (const e of c.timeline) {
    const li = document.createElement('li');
    text(li, (LABELS.event[e.kind] || e.kind) + (e.note ? '（' + (LABELS.note[e.note] || e.note) + '）' : ''));
    li.appendChild(text(document.createElement('small'), time(e.at)));
    timeline.appendChild(li);
  }
}

/** Where a message to the resident stands, in the words of the office. */
function deliveryText(d) {
  const how = d.sentAs === 'template' ? '（以服务通知发出）' : '';
  switch (d.status) {
    case 'PENDING': return d.attempts ? '发送失败 ' + d.attempts + ' 次，' + minute(d.nextAttemptAt) + ' 再试' : '排队发送中';
    case 'SENDING': return '正在发送';
    case 'SENT': return (d.delivery === 'success' ? '已送达' : d.delivery ? '未送达（' + d.delivery + '）' : '已发出') + how;
    case 'UNDELIVERABLE': return '居民超过 48 小时没有联系，且没有可用的服务通知：请电话联系';
    case 'UNREACHABLE': return '居民已取消关注或拒收，消息无法送达：请电话联系';
    default: return '发送失败，已放弃' + (d.error ? '（' + d.error + '）' : '') + '：请电话联系';
  }
}

async function act(path, body) {
  try {
    await api('POST', '/api/cases/' + current.id + path, Object.assign({ version: current.version }, body));
    await openCase(current.id);
  } catch (e) { await openCase(current.id, message(e.code)); }
}

$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); showInbox(inboxForm()); });
// A dropdown, a date or the urgent box applies at once; the search box on Enter or 查找.
for (const id of ['f-status', 'f-category', 'f-county', 'f-township', 'f-from', 'f-to', 'f-urgent']) {
  $(id).addEventListener('change', () => { if (id === 'f-county') $('f-township').value = ''; showInbox(inboxForm()); });
}
$('inbox-only-clear').addEventListener('click', () => { const f = inboxForm(); delete f.only; showInbox(f); });
$('back').addEventListener('click', (ev) => { ev.preventDefault(); location.hash = '#/inbox'; });
$('assign').addEventListener('click', () => act('/assign', { workerId: $('worker').value }));
$('reopen').addEventListener('click', () => act('/reopen', {}));
$('reclassify').addEventListener('click', () => act('/classify', { category: $('re-category').value,
  urgent: $('re-urgent').checked, reason: $('re-reason').value }));
$('page-prev').addEventListener('click', () => showInbox(Object.assign(inboxForm(), { page: String(Math.max(0, page - 1)) })));
$('page-next').addEventListener('click', () => showInbox(Object.assign(inboxForm(), { page: String(page + 1) })));

$('send').addEventListener('click', async () => { await act('/message', { text: $('message').value }); $('message').value = ''; });
$('add-note').addEventListener('click', async () => { await act('/notes', { text: $('note').value }); $('note').value = ''; });
$('close').addEventListener('click', () => act('/close', { summary: $('summary').value, outcomes: chosenOutcomes() }));
$('ack-alert').addEventListener('click', () => act('/ack-alert', {}));
$('merge').addEventListener('click', async () => {
  try {
    const r = await api('POST', '/api/cases/' + current.id + '/merge', { into: $('merge-into').value.trim(), version: current.version });
    $('merge-into').value = '';
    location.hash = '#/case/' + r.id;
  } catch (e) { await openCase(current.id, message(e.code)); }
});
$('set-place').addEventListener('click', async () => {
  try { await api('POST', '/api/cases/' + current.id + '/place', { township: $('place-township').value, version: current.version }); }
  catch (e) { await openCase(current.id, message(e.code)); return; }
  await openCase(current.id, '已设置乡镇，正在按规则派单。');
});
