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
           resident_video: '居民发来视频', resident_text: '居民补充文字', resident_location: '居民发来位置',
           resident_urgent: '居民发来紧急消息，已转为紧急', accepted: '社工接单', sent_back: '社工退回',
           contacted: '社工已联系居民', visit_note: '社工记录走访', media_image: '走访照片', media_voice: '走访语音',
           media_video: '走访视频', routed: '按规则派单', deadline_missed: '超过期限', escalated_to_county: '超时上报县级',
           place_set: '设置乡镇', merged_into: '已合并到另一条求助', merged_from: '合并了另一条求助', alert_acknowledged: '社工确认收到紧急求助', alert_escalated: '紧急求助无人确认，已通知上一级' },
  level: { 1: '当天值班的社工', 2: '站长', 3: '县级值班', 4: '市级值班' },
  note: { on_duty: '当天值班', head: '站长', county_on_duty: '县级值班', city_on_duty: '市级值班', assign: '派给社工',
          accept: '社工接单', first_contact: '首次联系', close: '办结', sent_back_twice: '两次被退回' },
  step: { ASSIGN: '派给社工', ACCEPT: '社工接单', FIRST_CONTACT: '首次联系', CLOSE: '办结' },
  state: { AMBER: '快到期：', RED: '已超时：', COUNTY: '已上报县级：' },
  media: { pending: '正在从微信下载……', lost: '超过微信保存期限（3 天），未能下载。',
           station_only: '照片和语音只有负责的社工站能查看。' },
  error: { wrong_credentials: '用户名或密码不对。', locked: '连续输错 5 次，账号已锁定 15 分钟。',
           not_signed_in: '请先登录。', csrf: '页面已过期，请刷新后再试。', not_found: '没有找到，或不在您的管理范围内。',
           changed_by_someone_else: '这个求助刚被别人改过，已为您显示最新情况，请确认后再操作。',
           no_township: '不知道居民所在乡镇，暂时无法派单。', password_too_short: '新密码至少 10 位。',
           password_change_required: '请先修改密码。', empty: '请先填写内容。', no_such_worker: '这位社工不在该社工站。',
           already_open: '这个求助还没有办结。', bad_date: '日期格式不对。', no_such_category: '请选择类别。',
           busy: '现在登录的人较多，请稍等几秒再试。', too_large: '文件太大（最大 50 MB），请分成几个文件导入。',
           imports_queued: '已有几个导入在排队，请过一分钟再试。', already_reviewed: '这条已经有人审核过了。',
           not_in_registry: '这位居民不在册，请在求助里跟进。', outcome_required: '请勾选办理结果（可多选）。',
           amount_required: '给予临时救助请填写金额（元）。', city_only: '只有市级管理员可以修改派单规则。',
           no_such_township: '请选择乡镇。', member_name: '请填写每位成员的姓名。', id_empty: '请填写户主的身份证号。',
           id_excel_mangled: '身份证号被 Excel 变成了科学计数法，请重新填写完整号码。', id_length: '身份证号应为 18 位。',
           id_characters: '身份证号只能是数字，最后一位可以是 X。', id_birth_date: '身份证号里的出生日期不对。',
           id_check_digit: '身份证号校验位不对，可能有数字填错。', bad_phone: '电话号码不对（手机 11 位，座机带区号）。',
           already_registered: '这个身份证号已经在册，请在名单里按身份证号查找。', campaign_too_large: '超过 5000 户，请先按县或乡镇缩小范围。',
           station_only: '只有负责走访的社工站能修改服务对象的信息。', no_such_case: '没有找到这个编号的求助（或不在您的管理范围内）。',
           bad_hours: '学时要在 0.5 到 200 小时之间。' },
  audit: { login: '登录', login_failed: '登录失败', login_locked: '账号锁定', password_changed: '修改密码',
           assign: '派单', close: '办结', reopen: '重新打开', note: '添加备注', message_resident: '给居民发消息',
           reclassify: '修改类别', view_sensitive_case: '查看敏感求助', add_worker: '添加社工', update_worker: '修改社工',
           update_station: '修改社工站', export_corrections: '下载类别更正', bind_code: '生成绑定码',
           unbind_wechat: '解除微信绑定', bind_wechat: '社工绑定微信', worker_view_case: '社工在微信查看求助',
           view_media: '查看走访照片或语音', view_household: '查看服务对象', move_household: '移交服务对象',
           exit_household: '服务对象退出在册', review_monitoring_dismissed: '监测信号：排除', edit_routing_rules: '修改派单规则', set_place: '设置求助乡镇', edit_roster: '修改值班表', export_report: '下载工作报表', create_training: '登记培训', acknowledge_alert: '确认收到紧急求助', export_cases: '下载求助清单', export_households: '下载服务对象名单', merge_case: '合并重复求助', create_household: '新建服务对象', edit_household: '修改服务对象',
           order_campaign: '安排集中走访',
           review_monitoring_risk_raised: '监测信号：确认重大变化', review_monitoring_enrolled: '监测信号：纳入监测',
           review_monitoring_followed_up: '监测信号：在求助中跟进', import_households: '导入花名册', download_rejected_rows: '下载未导入的行' }
};

let me = null;
// Once someone has been signed in, this page holds their data (cases, staff, searches). Signing
// out — or a session that ended — reloads the page from scratch, so the next person at a shared
// office PC starts from an empty page and nothing of the previous user is left in it.
let held = false;
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
const SECTIONS = ['login', 'change-password', 'inbox', 'case', 'staff', 'audit', 'households', 'household', 'monitoring', 'routing', 'report', 'dashboard', 'household-form', 'trainings', 'poster'];
function show(id) { for (const s of SECTIONS) $(s).hidden = s !== id; }
function text(el, value) { el.textContent = value == null ? '' : String(value); return el; }
// Times as Baoshan reads them, wherever the browser is.
function time(iso) { return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }); }
function minute(iso) {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric',
                                                 hour: '2-digit', minute: '2-digit' });
}

async function start() {
  stations = null;
  page = 0;
  try { me = await api('GET', '/api/me'); } catch (e) { me = null; }
  if (!me) {
    if (held) { location.replace(location.pathname); return; }
    $('who').hidden = true; show('login'); return;
  }
  held = true;
  $('who').hidden = false;
  text($('who-name'), me.username + '（' + (LABELS.role[me.role] || me.role) + '）');
  if (me.mustChangePassword) { show('change-password'); return; }
  route();
}

function route() {
  $('nav-inbox').hidden = me.role === 'AUDITOR';
  $('nav-dashboard').hidden = me.role === 'AUDITOR';
  $('nav-staff').hidden = me.role === 'AUDITOR';
  $('nav-households').hidden = me.role === 'AUDITOR';
  $('nav-monitoring').hidden = me.role === 'AUDITOR';
  $('nav-routing').hidden = me.role === 'AUDITOR';
  $('nav-report').hidden = me.role === 'AUDITOR';
  $('nav-trainings').hidden = me.role === 'AUDITOR';
  $('nav-audit').hidden = !(me.role === 'AUDITOR' || me.role === 'CITY');
  const m = location.hash.match(/^#\/case\/([0-9a-f]{24})$/);
  const h = location.hash.match(/^#\/household\/([0-9a-f]{24})$/);
  const p = location.hash.match(/^#\/poster\/(\d{9})$/);
  if (m) openCase(m[1]);
  else if (p && me.role !== 'AUDITOR') loadPoster(p[1]);
  else if (h && me.role !== 'AUDITOR') openHousehold(h[1]);
  else if (location.hash === '#/household/new' && me.role !== 'AUDITOR') householdForm(null);
  else if (location.hash === '#/households' && me.role !== 'AUDITOR') loadHouseholds();
  else if (location.hash === '#/monitoring' && me.role !== 'AUDITOR') loadMonitoring();
  else if (location.hash === '#/routing' && me.role !== 'AUDITOR') loadRouting();
  else if (location.hash === '#/report' && me.role !== 'AUDITOR') loadReport();
  else if (location.hash === '#/trainings' && me.role !== 'AUDITOR') loadTrainings();
  else if (location.hash === '#/staff') loadStaff();
  else if (location.hash === '#/audit' || me.role === 'AUDITOR') loadAudit();
  else if (location.hash === '#/inbox') loadInbox();
  else loadDashboard();
}

let stations = null;
async function areaOptions() {
  if (stations) return;
  stations = (await api('GET', '/api/stations')).items;
  const counties = [...new Map(stations.map(s => [s.code.slice(0, 6), s.county])).entries()];
  $('f-county').hidden = counties.length < 2;
  for (const [code, name] of counties) {
    const o = text(document.createElement('option'), name); o.value = code; $('f-county').appendChild(o);
  }
  fillTownships();
}
function fillTownships() {
  const county = $('f-county').value;
  const select = $('f-township');
  select.replaceChildren(text(Object.assign(document.createElement('option'), { value: '' }), '全部乡镇（街道）'));
  for (const s of stations.filter(s => !county || s.code.startsWith(county))) {
    const o = text(document.createElement('option'), s.township); o.value = s.code; select.appendChild(o);
  }
  select.hidden = stations.length < 2;
}
let page = 0;

async function loadInbox() {
  show('inbox');
  await areaOptions();
  const params = new URLSearchParams({ page: String(page) });
  for (const [key, id] of [['county', 'f-county'], ['township', 'f-township'], ['from', 'f-from'], ['to', 'f-to']]) {
    if ($(id).value) params.set(key, $(id).value);
  }
  if ($('f-status').value) params.set('status', $('f-status').value);
  if ($('f-category').value) params.set('category', $('f-category').value);
  if ($('f-urgent').checked) params.set('urgent', 'true');
  if ($('f-q').value.trim()) params.set('q', $('f-q').value.trim());
  const tbody = $('cases');
  tbody.replaceChildren();
  const all = new URLSearchParams(params);
  all.delete('page');
  $('inbox-excel').href = '/api/cases.xlsx?' + all;
  try {
    const result = await api('GET', '/api/cases?' + params);
    text($('inbox-total'), '共 ' + result.total + ' 条');
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
  const timeline = $('timeline');
  timeline.replaceChildren();
  for (const e of c.timeline) {
    const li = document.createElement('li');
    text(li, (LABELS.event[e.kind] || e.kind) + (e.note ? '（' + (LABELS.note[e.note] || e.note) + '）' : ''));
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
    history.replaceState(null, '', location.pathname); // each role starts on its own home, not where a link pointed
    text($('login-error'), '');
    start();
  } catch (e) { text($('login-error'), message(e.code)); }
});
$('password-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try { me = await api('POST', '/api/password', { current: $('current').value, next: $('next').value }); start(); }
  catch (e) { text($('password-error'), message(e.code)); }
});
$('logout').addEventListener('click', async () => {
  try { await api('POST', '/api/logout'); } finally { me = null; location.replace(location.pathname); }
});
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); page = 0; loadInbox(); });
$('back').addEventListener('click', (ev) => { ev.preventDefault(); location.hash = '#/inbox'; });
$('assign').addEventListener('click', () => act('/assign', { workerId: $('worker').value }));
$('reopen').addEventListener('click', () => act('/reopen', {}));
$('reclassify').addEventListener('click', () => act('/classify', { category: $('re-category').value,
  urgent: $('re-urgent').checked, reason: $('re-reason').value }));
$('f-county').addEventListener('change', fillTownships);
$('page-prev').addEventListener('click', () => { page = Math.max(0, page - 1); loadInbox(); });
$('page-next').addEventListener('click', () => { page += 1; loadInbox(); });

async function loadStaff() {
  show('staff');
  showDuty();
  const tbody = $('stations');
  tbody.replaceChildren();
  for (const s of (await api('GET', '/api/stations')).items) {
    const tr = document.createElement('tr');
    for (const v of [s.county, s.township + '社工站', s.phone, s.workers]) tr.appendChild(text(document.createElement('td'), v));
    tr.addEventListener('click', () => openStation(s));
    tbody.appendChild(tr);
  }
}

let station = null;
async function openStation(s) {
  station = s;
  $('station').hidden = false;
  text($('station-title'), s.county + s.township + '社工站');
  $('poster-link').href = '#/poster/' + s.code;
  showRoster(s.code, 'roster-rows', 'roster-status');
  const tbody = $('workers');
  tbody.replaceChildren();
  for (const w of (await api('GET', '/api/stations/' + s.code + '/workers')).items) {
    const tr = document.createElement('tr');
    for (const v of [w.name, LABELS.worker[w.role], w.skills.map(k => LABELS.category[k]).join('、'),
                     w.openCases + '/' + w.capacity, w.active ? '在岗' : '已停用', w.bound ? '已绑定' : '未绑定']) {
      tr.appendChild(text(document.createElement('td'), v));
    }
    const cell = document.createElement('td');
    const code = text(document.createElement('button'), '绑定码');
    code.addEventListener('click', () => bindCode(w));
    cell.appendChild(code);
    if (w.bound) {
      const u = text(document.createElement('button'), '解绑');
      u.addEventListener('click', async () => {
        try { await api('POST', '/api/workers/' + w.id + '/unbind'); } catch (e) { text($('staff-error'), message(e.code)); }
        openStation(station);
      });
      cell.appendChild(u);
    }
    const b = text(document.createElement('button'), w.active ? '停用' : '恢复');
    b.addEventListener('click', async () => {
      try { await api('PUT', '/api/workers/' + w.id, { name: w.name, role: w.role, skills: w.skills, capacity: w.capacity, active: !w.active }); }
      catch (e) { text($('staff-error'), message(e.code)); }
      openStation(station);
    });
    cell.appendChild(b);
    tr.appendChild(cell);
    tbody.appendChild(tr);
  }
}
async function bindCode(w) {
  try {
    const b = await api('POST', '/api/workers/' + w.id + '/bind-code');
    $('bind').hidden = false;
    text($('bind-who'), w.name);
    text($('bind-code'), b.code);
    text($('bind-expires'), time(b.expiresAt));
    $('bind-qr').hidden = !b.qr;
    if (b.qr) $('bind-qr').src = b.qr;
  } catch (e) { text($('staff-error'), message(e.code)); }
}

$('worker-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await api('POST', '/api/stations/' + station.code + '/workers',
              { name: $('w-name').value, role: $('w-role').value, capacity: Number($('w-capacity').value) });
    $('w-name').value = '';
    text($('staff-error'), '');
    openStation(station);
  } catch (e) { text($('staff-error'), message(e.code)); }
});

async function loadAudit() {
  show('audit');
  $('corrections').hidden = me.role !== 'CITY';
  const tbody = $('audit-rows');
  tbody.replaceChildren();
  for (const e of (await api('GET', '/api/audit')).items) {
    const tr = document.createElement('tr');
    for (const v of [time(e.at), e.who, LABELS.audit[e.action] || e.action, e.record, e.from]) {
      tr.appendChild(text(document.createElement('td'), v));
    }
    tbody.appendChild(tr);
  }
}
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
window.addEventListener('hashchange', () => { if (me && !me.mustChangePassword) route(); });
for (const [code, label] of Object.entries(LABELS.category)) {
  for (const select of [$('f-category'), $('re-category')]) {
    const o = document.createElement('option'); o.value = code; o.textContent = label; select.appendChild(o);
  }
}
start();
