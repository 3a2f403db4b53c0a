// The WeChat simulator: each phone is a WeChat user. What they do goes through the fake WeChat
// (/_fake/users/...), which signs it and pushes it to the service exactly as WeChat would; what the
// service sends back through the WeChat API shows up from /_fake/received. Texts users read are here.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const phones = [];

async function call(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {},
                                  body: body ? JSON.stringify(body) : undefined });
  if (res.status === 204) return {};
  return res.json();
}

function bubble(phone, cls, text) {
  const li = document.createElement('li');
  li.className = cls;
  li.textContent = text;
  phone.chat.appendChild(li);
  phone.chat.scrollTop = phone.chat.scrollHeight;
  return li;
}

function card(phone, payload) {
  const li = bubble(phone, 'card', '');
  const title = document.createElement('b');
  title.textContent = '服务通知';
  li.appendChild(title);
  for (const [, field] of Object.entries(payload.data || {})) {
    li.appendChild(document.createTextNode(field.value + '\n'));
  }
}

// A menu message (菜单消息): its options are links; a tap sends the option's text with its id, as WeChat does.
function menuMessage(phone, m) {
  const li = bubble(phone, 'account', m.head_content || '');
  for (const o of m.list || []) {
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'option';
    a.textContent = o.content;
    a.addEventListener('click', (ev) => { ev.preventDefault(); act(phone, 'tap', { text: o.content, menuId: o.id }, o.content); });
    li.appendChild(a);
  }
  if (m.tail_content) li.appendChild(document.createTextNode(m.tail_content));
}

async function act(phone, action, body, shown) {
  if (shown) bubble(phone, 'me', shown);
  const d = await call('POST', '/_fake/users/' + encodeURIComponent(phone.openid) + '/' + action, body || {});
  if (!d.ok) bubble(phone, 'error', '该公众号暂时无法提供服务，请稍后再试（' + d.failure + '）');
  else if (d.reply) bubble(phone, 'account', d.reply);
}

async function poll() {
  for (const phone of phones) {
    const received = await call('GET', '/_fake/received?openid=' + encodeURIComponent(phone.openid));
    for (const r of received.slice(phone.seen)) {
      if (r.kind === 'template') card(phone, r.payload);
      else if (r.payload.msgtype === 'msgmenu') menuMessage(phone, r.payload.msgmenu);
      else bubble(phone, 'account', (r.payload.text || {}).content || '［' + r.payload.msgtype + '］');
    }
    phone.seen = received.length;
  }
}

function addPhone(name, openid) {
  const node = $('#phone-template').content.firstElementChild.cloneNode(true);
  const phone = { name, openid, node, chat: $('.chat', node), seen: 0 };
  $('.name', node).textContent = name;
  $('.openid', node).textContent = openid;
  $('.compose', node).addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('.text', node);
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    act(phone, 'say', { text }, text);
  });
  $('.voice', node).addEventListener('click', () => {
    const text = prompt('语音内容（代表微信的语音识别结果；留空表示没有识别）', '');
    if (text !== null) act(phone, 'voice', text ? { text } : {}, '［语音］' + (text || ''));
  });
  $('.image', node).addEventListener('click', () => act(phone, 'image', {}, '［图片］'));
  $('.location', node).addEventListener('click', () => {
    const label = prompt('位置', '云南省保山市施甸县姚关镇山邑村');
    if (label) act(phone, 'location', { lat: 24.61, lng: 99.18, label }, '［位置］' + label);
  });
  $('.follow', node).addEventListener('click', () => act(phone, 'follow', {}, '［关注了服务号］'));
  $('.unfollow', node).addEventListener('click', () => act(phone, 'unfollow', {}, '［取消了关注］'));
  renderMenu(phone);
  $('#phones').appendChild(node);
  phones.push(phone);
  return phone;
}

let menu = null;
function renderMenu(phone) {
  const bar = $('.menu', phone.node);
  bar.replaceChildren();
  for (const b of (menu && menu.button) || []) {
    const item = document.createElement('div');
    item.className = 'item';
    const top = document.createElement('button');
    top.type = 'button';
    top.textContent = b.name;
    item.appendChild(top);
    if (b.sub_button) {
      const sub = document.createElement('div');
      sub.className = 'sub';
      for (const s of b.sub_button) {
        const sb = document.createElement('button');
        sb.type = 'button';
        sb.textContent = s.name;
        sb.addEventListener('click', () => { item.classList.remove('open'); act(phone, 'click', { key: s.key }, '［菜单：' + s.name + '］'); });
        sub.appendChild(sb);
      }
      item.appendChild(sub);
      top.addEventListener('click', () => item.classList.toggle('open'));
    } else {
      top.addEventListener('click', () => act(phone, 'click', { key: b.key }, '［菜单：' + b.name + '］'));
    }
    bar.appendChild(item);
  }
}

function status(text) { $('#status').textContent = text; }

document.querySelectorAll('[data-advance]').forEach(b => b.addEventListener('click', async () => {
  const r = await call('POST', '/_fake/clock', { advanceSeconds: Number(b.dataset.advance) });
  status('时间已快进，共 ' + Math.round(r.offsetSeconds / 3600) + ' 小时');
}));
$('#morning').addEventListener('click', async () => {
  const r = await call('POST', '/_fake/demo/morning');
  status('现在是 ' + r.at.replace('T', ' ') + '：提醒走访 ' + r.reminded + ' 户，超期上报站长 ' + r.overdueToHeads
    + ' 户，求助快到期 ' + r.deadlinesWarned + ' 条、超过期限 ' + r.deadlinesBreached + ' 条');
});
// While WeChat fails: how many calls will still fail, and what waits in the service's outbox (and when it tries again).
async function showFaults() {
  const faults = await call('GET', '/_fake/faults').catch(() => []);
  const left = faults.reduce((n, f) => n + f.times, 0);
  const box = await call('POST', '/_fake/demo/outbox').catch(() => null);
  const parts = [];
  if (left) parts.push('微信接口还会失败 ' + left + ' 次');
  if (box && box.retrying) parts.push(box.retrying + ' 条消息排队重发' + (box.nextRetry ? '，下次 ' + box.nextRetry : ''));
  else if (box && box.pending) parts.push(box.pending + ' 条消息正在发送');
  $('#faults').textContent = parts.join('；');
}
setInterval(showFaults, 2000);
$('#fail-quota').addEventListener('click', async () => {
  await call('POST', '/_fake/faults', { path: '/cgi-bin/message/custom/send', errcode: 45009, times: 3 });
  status('接下来 3 次客服消息会失败（45009），服务会退避重试');
});
$('#fail-502').addEventListener('click', async () => {
  await call('POST', '/_fake/faults', { path: '/cgi-bin/', httpStatus: 502, times: 3 });
  status('接下来 3 次微信接口调用会返回 502，服务会退避重试');
});
$('#fail-clear').addEventListener('click', async () => { await call('DELETE', '/_fake/faults'); status('微信接口已恢复正常'); });
$('#reset').addEventListener('click', async () => {
  await call('POST', '/_fake/reset');
  for (const phone of phones) { phone.chat.replaceChildren(); phone.seen = 0; }
  status('模拟器已重置（服务里的数据不变；要从头再来：停止后运行 ./shegong demo --reset）');
});
$('#add-phone').addEventListener('click', () => {
  const name = prompt('这部手机的主人（昵称）', '居民');
  if (name) addPhone(name, 'o-sim-' + Math.random().toString(36).slice(2, 10));
});

(async () => {
  menu = await call('GET', '/_fake/menu');
  const params = new URLSearchParams(location.search);
  $('#console-link').href = params.get('console') || ('http://' + location.hostname + ':8081/');
  addPhone('李女士（居民）', 'o-sim-li');
  addPhone('王先生（居民）', 'o-sim-wang');
  addPhone('社工 赵志强（姚关镇，已绑定）', 'o-demo-worker-zhao');
  addPhone('站长（姚关镇，已绑定）', 'o-demo-worker-head');
  addPhone('社工 钱丽娟（姚关镇，已绑定）', 'o-demo-worker-qian');
  addPhone('值班社工（备用名单）', params.get('duty') || 'o-demo-duty-worker');
  setInterval(poll, 1000);
})();
