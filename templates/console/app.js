// The console: one page over the JSON API. Everything a resident wrote is inserted with
// textContent, never as HTML, so a message containing <script> shows as text.
'use strict';

const LABELS = {
  category: { dibao: '低保', tekun: '特困供养', linshi: '临时救助', elderly: '养老服务', children: '儿童关爱',
              disability: '残疾人帮扶', mental: '心理疏导', policy: '政策咨询', other: '其他' },
  status: { NEW: '待受理', ASSIGNED: '已派单', IN_PROGRESS: '办理中', CLOSED: '已办结', CANCELLED: '已撤销' },
  role: { CITY: '市级管理员', COUNTY: '县级管理员', STATION: '站长', AUDITOR: '审计员' },
  worker: { HEAD: '站长', WORKER: '社工' },
  window: { open: '居民 48 小时内联系过我们：消息会直接出现在对话里。',
            closed: '居民超过 48 小时没有联系我们：消息会以“您有新消息”的服务通知发出，居民点开服务号才能看到全文。' },
  event: { created: '居民提交求助', details: '居民补充信息', assigned: '已派单', visited: '已走访', closed: '已办结',
           cancelled_by_resident: '居民撤销', contact_requested: '居民要求人工联系', rated: '居民评分',
           commented: '居民留言', note: '添加备注', reclassified: '修改类别', reopened: '重新打开',
           resident_image: '居民发来照片', resident_voice: '居民发来语音',
           resident_video: '居民发来视频', resident_text: '居民补充文字', resident_location: '居民发来位置' },
  error: { wrong_credentials: '用户名或密码不对。', locked: '连续输错 5 次，账号已锁定 15 分钟。',
           not_signed_in: '请先登录。', csrf: '页面已过期，请刷新后再试。', not_found: '没有找到，或不在您的管理范围内。',
           changed_by_someone_else: '这个求助刚被别人改过，已为您显示最新情况，请确认后再操作。',
           no_township: '不知道居民所在乡镇，暂时无法派单。', password_too_short: '新密码至少 10 位。',
           password_change_required: '请先修改密码。', empty: '请先填写内容。', no_such_worker: '这位社工不在该社工站。',
           already_open: '这个求助还没有办结。' }
};

let me = null;
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (me && method !== 'GET') headers['X-CSRF-Token'] = me.csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                  credentials: 'same-origin' });
  const data = res.status === 204 ? {} : await res.json();
  if (!res.ok) { const e = new Error(data.error || 'error'); e.code = data.error; e.status = res.status; throw e; }
  return data;
}

function message(code) { return LABELS.error[code] || '出错了，请稍后再试。'; }
function show(id) { for (const s of ['login', 'change-password', 'inbox', 'case']) $(s).hidden = s !== id; }
function text(el, value) { el.textContent = value == null ? '' : String(value); return el; }
function time(iso) { return new Date(iso).toLocaleString('zh-CN', { hour12: false }); }

async function start() {
  try { me = await api('GET', '/api/me'); } catch (e) { me = null; }
  if (!me) { $('who').hidden = true; show('login'); return; }
  $('who').hidden = false;
  text($('who-name'), me.username + '（' + (LABELS.role[me.role] || me.role) + '）');
  if (me.mustChangePassword) { show('change-password'); return; }
  route();
}

function route() {
  const m = location.hash.match(/^#\/case\/([0-9a-f]{24})$/);
  if (m) openCase(m[1]); else loadInbox();
}

async function loadInbox() {
  show('inbox');
  const params = new URLSearchParams();
  if ($('f-status').value) params.set('status', $('f-status').value);
  if ($('f-category').value) params.set('category', $('f-category').value);
  if ($('f-urgent').checked) params.set('urgent', 'true');
  if ($('f-q').value.trim()) params.set('q', $('f-q').value.trim());
  const tbody = $('cases');
  tbody.replaceChildren();
  try {
    const page = await api('GET', '/api/cases?' + params);
    text($('inbox-total'), '共 ' + page.total + ' 条');
    for (const c of page.items) {
      const tr = document.createElement('tr');
      if (c.urgent) tr.className = 'urgent';
      tr.dataset.id = c.id;
      for (const v of [c.number, LABELS.category[c.category], (c.county + c.township) || '乡镇未知',
                       LABELS.status[c.status], time(c.createdAt)]) {
        tr.appendChild(text(document.createElement('td'), v));
      }
      tr.addEventListener('click', () => { location.hash = '#/case/' + c.id; });
      tbody.appendChild(tr);
    }
  } catch (e) { text($('inbox-total'), message(e.code)); }
}

let current = null;

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
  const worker = $('worker');
  worker.replaceChildren(text(Object.assign(document.createElement('option'), { value: '' }), '只派到社工站'));
  for (const w of c.workers) {
    const o = document.createElement('option');
    o.value = w.id;
    text(o, w.name + '（' + LABELS.worker[w.role] + '，在办 ' + w.openCases + '/' + w.capacity + '）');
    worker.appendChild(o);
  }
  text($('window'), c.windowOpen ? LABELS.window.open : LABELS.window.closed);
  const notes = $('notes');
  notes.replaceChildren();
  for (const n of c.notes) {
    const li = text(document.createElement('li'), n.text);
    li.appendChild(text(document.createElement('small'), n.author + ' · ' + time(n.at)));
    notes.appendChild(li);
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
  const timeline = $('timeline');
  timeline.replaceChildren();
  for (const e of c.timeline) {
    const li = document.createElement('li');
    text(li, (LABELS.event[e.kind] || e.kind) + (e.note ? '（' + e.note + '）' : ''));
    li.appendChild(text(document.createElement('small'), time(e.at)));
    timeline.appendChild(li);
  }
}

async function act(path, body) {
  try {
    await api('POST', '/api/cases/' + current.id + path, Object.assign({ version: current.version }, body));
    await openCase(current.id);
  } catch (e) { await openCase(current.id, message(e.code)); }
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    me = await api('POST', '/api/login', { username: $('username').value, password: $('password').value });
    $('password').value = '';
    text($('login-error'), '');
    start();
  } catch (e) { text($('login-error'), message(e.code)); }
});
$('password-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try { me = await api('POST', '/api/password', { current: $('current').value, next: $('next').value }); start(); }
  catch (e) { text($('password-error'), message(e.code)); }
});
$('logout').addEventListener('click', async () => { try { await api('POST', '/api/logout'); } finally { me = null; start(); } });
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadInbox(); });
$('back').addEventListener('click', (ev) => { ev.preventDefault(); location.hash = ''; });
$('assign').addEventListener('click', () => act('/assign', { workerId: $('worker').value }));
$('reopen').addEventListener('click', () => act('/reopen', {}));
$('send').addEventListener('click', async () => { await act('/message', { text: $('message').value }); $('message').value = ''; });
$('add-note').addEventListener('click', async () => { await act('/notes', { text: $('note').value }); $('note').value = ''; });
$('close').addEventListener('click', () => act('/close', { summary: $('summary').value }));
window.addEventListener('hashchange', () => { if (me && !me.mustChangePassword) route(); });
for (const [code, label] of Object.entries(LABELS.category)) {
  const o = document.createElement('option'); o.value = code; o.textContent = label; $('f-category').appendChild(o);
}
start();
