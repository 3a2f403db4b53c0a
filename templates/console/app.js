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
  notice: { case_update: '办理进展通知（服务通知）', new_message: '“您有新消息”（服务通知）', rating: '请求评价' },
  level: { 1: '当天值班的社工', 2: '站长', 3: '县级值班', 4: '市级值班' },
  note: { on_duty: '当天值班', head: '站长', county_on_duty: '县级值班', city_on_duty: '市级值班', assign: '派给社工',
          accept: '社工接单', first_contact: '首次联系', close: '办结', sent_back_twice: '两次被退回' },
  step: { ASSIGN: '派给社工', ACCEPT: '社工接单', FIRST_CONTACT: '首次联系', CLOSE: '办结' },
  state: { AMBER: '快到期：', RED: '已超时：', COUNTY: '已上报县级：' },
  media: { pending: '正在从微信下载……', lost: '超过微信保存期限（3 天），未能下载。',
           station_only: '照片和语音只有负责的社工站能查看。' },
  error: { wrong_credentials: '用户名或密码不对。', locked: '连续输错次数过多，已暂时锁定 15 分钟，请稍后再试。',
           not_signed_in: '请先登录。', csrf: '页面已过期，请刷新后再试。', not_found: '没有找到，或不在您的管理范围内。',
           changed_by_someone_else: '这个求助刚被别人改过，已为您显示最新情况，请确认后再操作。',
           no_township: '不知道居民所在乡镇，暂时无法派单。', password_too_short: '新密码至少 10 位。', password_weak: '新密码要包含大写字母、小写字母、数字、符号中的至少三种。',
           password_contains_username: '新密码不能包含用户名。', password_reused: '不能使用最近 5 次用过的密码。',
           password_change_required: '请先修改密码。', empty: '请先填写内容。', no_such_worker: '这位社工不在该社工站。',
           already_open: '这个求助还没有办结。', bad_date: '日期格式不对。', no_such_category: '请选择类别。',
           busy: '现在登录的人较多，请稍等几秒再试。', console_busy: '系统正忙，请稍等几秒再试。',
           too_large: '文件太大（最大 50 MB），请分成几个文件导入。',
           imports_queued: '已有几个导入在排队，请过一分钟再试。', already_reviewed: '这条已经有人审核过了。',
           not_in_registry: '这位居民不在册，请在求助里跟进。', outcome_required: '请勾选办理结果（可多选）。',
           amount_required: '给予临时救助请填写金额（元）。', city_only: '只有市级管理员可以修改派单规则。',
           no_such_township: '请选择乡镇。', member_name: '请填写每位成员的姓名。', id_empty: '请填写户主的身份证号。',
           id_excel_mangled: '身份证号被 Excel 变成了科学计数法，请重新填写完整号码。', id_length: '身份证号应为 18 位。',
           id_characters: '身份证号只能是数字，最后一位可以是 X。', id_birth_date: '身份证号里的出生日期不对。',
           id_check_digit: '身份证号校验位不对，可能有数字填错。', bad_phone: '电话号码不对（手机 11 位，座机带区号）。',
           already_registered: '这个身份证号已经在册，请在名单里按身份证号查找。', campaign_too_large: '超过 5000 户，请先按县或乡镇缩小范围。',
           station_only: '只有负责走访的社工站能修改服务对象的信息。', no_such_case: '没有找到这个编号的求助（或不在您的管理范围内）。',
           bad_hours: '学时要在 0.5 到 200 小时之间。' }

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
  if (res.status === 401 && data.error === 'not_signed_in' && held) { // the session ran out under this page
    sessionStorage.setItem('expired', '1');
    location.replace(location.pathname);
  }
  if (!res.ok) { const e = new Error(data.error || 'error'); e.code = data.error; e.status = res.status; throw e; }
  return data;
}

function message(code) { return LABELS.error[code] || '出错了，请稍后再试。'; }
const SECTIONS = ['login', 'change-password', 'inbox', 'case', 'staff', 'audit', 'households', 'household', 'monitoring', 'routing',
                  'report', 'dashboard', 'household-form', 'trainings', 'poster', 'visits'];
function show(id) { for (const s of SECTIONS) $(s).hidden = s !== id; }
function text(el, value) { el.textContent = value == null ? '' : String(value); return el; }
// Times as Baoshan reads them, wherever the browser is.
function time(iso) { return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }); }
function minute(iso) {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric',
                                                 hour: '2-digit', minute: '2-digit' });
}

async function start() {
  allStations = null;
  page = 0;
  try { me = await api('GET', '/api/me'); } catch (e) { me = null; }
  if (!me) {
    // The session ended (idle 30 minutes, or the password changed elsewhere): start from a clean page
    // and say why, instead of a login form that appears for no reason.
    if (held) { sessionStorage.setItem('expired', '1'); location.replace(location.pathname); return; }
    $('who').hidden = true; $('account').hidden = true; show('login');
    if (sessionStorage.getItem('expired')) { text($('login-error'), '登录已过期，请重新登录。'); sessionStorage.removeItem('expired'); }
    return;
  }
  held = true;
  $('account').hidden = false;
  text($('who-name'), me.username + '（' + (LABELS.role[me.role] || me.role) + '）');
  if (me.mustChangePassword) {
    text($('password-title'), me.changeReason === 'expired' ? '密码已使用超过 90 天，请修改' : '首次登录，请修改密码');
    show('change-password'); return;
  }
  $('who').hidden = false;
  route();
}

// ---- helpers every list page uses ----------------------------------------------------------------

let allStations = null; // the stations of the account's area, read once per page load
async function stationList() {
  if (!allStations) allStations = (await api('GET', '/api/stations')).items;
  return allStations;
}

function fillSelect(select, pairs, blank) {
  select.replaceChildren();
  if (blank) select.appendChild(text(Object.assign(document.createElement('option'), { value: '' }), blank));
  for (const [value, label] of pairs) {
    const o = text(document.createElement('option'), label); o.value = value; select.appendChild(o);
  }
}

/** A list's county dropdown (hidden when the account sees one county) and township dropdown (of the chosen county). */
function fillCounties(select, stations) {
  const counties = new Map(stations.map(s => [s.code.slice(0, 6), s.county]));
  fillSelect(select, [...counties], '全部县（区、市）');
  select.hidden = counties.size < 2;
}
function fillTownships(select, county, stations) {
  fillSelect(select, stations.filter(s => !county || s.code.startsWith(county)).map(s => [s.code, s.township]), '全部乡镇（街道）');
  select.hidden = stations.length < 2;
}

/** The filters of a list's form: [query parameter, control id] pairs to values (empty ones left out by showList). */
function formValues(pairs) {
  const f = {};
  for (const [key, id] of pairs) f[key] = $(id).value.trim();
  return f;
}

/** Shows a list page with these filters in the address (#/visits?state=LATE…); the route loads it (the same address: load again). */
function showList(path, filters, load) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const next = path + (params.toString() ? '?' + params : '');
  if (location.hash === next) load(); else location.hash = next;
}

// The left menu by role: the auditor sees only the audit log; the audit log is for the auditor and the city.
const MENU = { 'nav-audit': ['AUDITOR', 'CITY'] };
function hashPath() { return location.hash.split('?')[0]; }
/** The filters in the address after '?' (#/inbox?status=ALL&category=elderly), so a reload or a link keeps them. */
function hashQuery() { return new URLSearchParams(location.hash.split('?')[1] || ''); }

function route() {
  for (const a of document.querySelectorAll('#who a')) {
    a.hidden = !(MENU[a.id] || ['CITY', 'COUNTY', 'STATION']).includes(me.role);
    a.classList.toggle('current', a.getAttribute('href') === (hashPath() || '#/'));
  }
  const path = hashPath();
  const m = path.match(/^#\/case\/([0-9a-f]{24})$/);
  const h = path.match(/^#\/household\/([0-9a-f]{24})$/);
  const p = path.match(/^#\/poster\/(\d{9})$/);
  const staffOnly = me.role !== 'AUDITOR';
  if (m) openCase(m[1]);
  else if (me.role === 'AUDITOR' || path === '#/audit') loadAudit();
  else if (p) loadPoster(p[1]);
  else if (h) openHousehold(h[1]);
  else if (path === '#/household/new') householdForm(null);
  else if (path === '#/households') loadHouseholds();
  else if (path === '#/visits') loadVisits();
  else if (path === '#/monitoring') loadMonitoring();
  else if (path === '#/routing') loadRouting();
  else if (path === '#/report') loadReport();
  else if (path === '#/trainings') loadTrainings();
  else if (path === '#/staff') loadStaff();
  else if (path === '#/inbox') loadInbox();
  else if (staffOnly) loadDashboard();
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
  held = false; // signing out on purpose is not an expired session
  try { await api('POST', '/api/logout'); } finally { me = null; location.replace(location.pathname); }
});
window.addEventListener('hashchange', () => { if (me && !me.mustChangePassword) route(); });
for (const [code, label] of Object.entries(LABELS.category)) {
  for (const select of [$('f-category'), $('re-category')]) {
    const o = document.createElement('option'); o.value = code; o.textContent = label; select.appendChild(o);
  }
}
// After every script of the page has loaded (the inbox, staff, audit… pages live in their own files).
document.addEventListener('DOMContentLoaded', start);
