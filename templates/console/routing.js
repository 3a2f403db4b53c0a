// The console's routing pages: the rules (edited by the city admin, tried before saving), the
// place of a request whose township was unknown, and the outcomes ticked when closing.
// Uses the helpers of app.js ($, api, text, show, message, time, LABELS, current, openCase).
'use strict';

let routingVersion = 0;
async function loadRouting() {
  show('routing');
  text($('r-error'), '');
  text($('r-status'), '');
  const r = await api('GET', '/api/routing/rules');
  routingVersion = r.version;
  $('r-text').value = r.text;
  $('r-text').readOnly = !r.editable;
  $('r-save').hidden = !r.editable;
  text($('r-who'), r.updatedBy ? '最后由 ' + r.updatedBy + ' 于 ' + time(r.updatedAt) + ' 修改' : '系统初始规则（templates/routing.yaml）');
  if (!$('r-category').options.length) {
    fillSelect($('r-category'), Object.entries(LABELS.category), null);
    fillSelect($('r-township'), (await stationList()).map(s => [s.code, s.county + s.township]), '乡镇未知');
  }
}

async function fillPlaces() {
  if ($('place-township').options.length) return;
  fillSelect($('place-township'), (await stationList()).map(s => [s.code, s.county + s.township]), null);
}

let outcomeKinds = null;
async function showOutcomes() {
  if (outcomeKinds) return;
  outcomeKinds = (await api('GET', '/api/outcomes')).items;
  const box = $('outcomes');
  box.replaceChildren(text(document.createElement('span'), '办理结果：'));
  for (const o of outcomeKinds) {
    const label = document.createElement('label');
    label.className = 'check';
    const box2 = Object.assign(document.createElement('input'), { type: 'checkbox', value: o.code });
    label.appendChild(box2);
    label.appendChild(document.createTextNode(' ' + o.label));
    if (o.amount) {
      label.appendChild(Object.assign(document.createElement('input'), { type: 'number', min: '0', placeholder: '金额（元）',
                                                                          className: 'amount', id: 'amount-' + o.code }));
    }
    box.appendChild(label);
  }
}

function chosenOutcomes() {
  return [...$('outcomes').querySelectorAll('input[type=checkbox]:checked')].map(b => {
    const amount = $('amount-' + b.value);
    return amount ? { code: b.value, amount: Number(amount.value) } : { code: b.value };
  });
}

$('r-save').addEventListener('click', async () => {
  text($('r-error'), '');
  text($('r-status'), '');
  try {
    const res = await fetch('/api/routing/rules', { method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf, 'Accept': 'application/json' },
      body: JSON.stringify({ text: $('r-text').value, version: routingVersion }) });
    const data = await res.json();
    if (!res.ok) { text($('r-error'), data.reason ? '规则有误：' + data.reason : message(data.error)); return; }
    await loadRouting();
    text($('r-status'), '已保存，新的求助按新规则派单。');
  } catch (e) { text($('r-error'), message(e.code)); }
});

$('r-preview').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const res = await fetch('/api/routing/preview', { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf, 'Accept': 'application/json' },
    body: JSON.stringify({ text: $('r-text').value, category: $('r-category').value, township: $('r-township').value,
                           urgent: $('r-urgent').checked }) });
  const r = await res.json();
  if (!res.ok) { text($('r-result'), r.reason ? '规则有误：' + r.reason : message(r.error)); return; }
  const who = r.worker || (r.station ? '由站长决定' : '乡镇未知，进入收件箱等待设置乡镇');
  text($('r-result'), '规则“' + r.rule + '”：' + (r.station || '') + ' ' + who + '。期限：派给社工 ' + r.deadlines.assign
    + '，接单 ' + r.deadlines.accept + '，首次联系 ' + r.deadlines.first_contact + '，办结 ' + r.deadlines.close + '。');
});
