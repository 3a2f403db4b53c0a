// The console's household form (新建 / 修改服务对象) and campaigns (安排集中走访).
// Uses the helpers of app.js ($, api, text, show, message), households.js (hMeta, householdMeta,
// hCurrent) and routing.js (stationList, fillSelect).
'use strict';

let editing = null; // the household being edited, or null for a new one

function memberRow(m) {
  const row = document.createElement('div');
  row.className = 'filters member';
  for (const [key, label, size] of [['name', '姓名', 8], ['idNumber', '身份证号', 20], ['phone', '电话', 13], ['relation', '与户主关系', 8]]) {
    row.appendChild(Object.assign(document.createElement('input'), { placeholder: label, size, value: (m && m[key]) || '', name: key }));
  }
  $('hf-members').appendChild(row);
}

async function fillWorkers(selected) {
  const code = $('hf-township').value;
  const workers = code ? (await api('GET', '/api/stations/' + code + '/workers')).items.filter(w => w.active) : [];
  fillSelect($('hf-worker'), workers.map(w => [w.id, w.name]), '未指定（交站长安排）');
  $('hf-worker').value = selected || '';
}

async function householdForm(h) {
  editing = h;
  show('household-form');
  await householdMeta();
  text($('hf-title'), h ? '修改服务对象' : '新建服务对象');
  text($('hf-error'), '');
  $('hf-members').replaceChildren();
  (h ? h.members : [null]).forEach(memberRow);
  fillSelect($('hf-township'), (await stationList()).map(s => [s.code, s.county + s.township]), null);
  $('hf-township').value = h ? h.townshipCode : $('hf-township').value;
  $('hf-village').value = h ? h.village : '';
  $('hf-address').value = h ? h.address : '';
  $('hf-risk').value = h ? h.risk : 'MEDIUM';
  $('hf-plan').value = h ? h.plan : '';
  const since = Object.fromEntries((h ? h.categories : []).map(c => [c.label, c.since]));
  const box = $('hf-categories');
  box.replaceChildren();
  const today = new Date().toISOString().slice(0, 10);
  for (const c of hMeta.categories) {
    const label = document.createElement('label');
    label.className = 'check';
    label.appendChild(Object.assign(document.createElement('input'), { type: 'checkbox', value: c.code, checked: c.label in since }));
    label.appendChild(document.createTextNode(' ' + c.label + ' '));
    label.appendChild(Object.assign(document.createElement('input'), { type: 'date', value: since[c.label] || today, name: 'since-' + c.code }));
    box.appendChild(label);
  }
  await fillWorkers(h && h.worker ? h.worker.id : '');
}

async function saveHousehold(ev) {
  ev.preventDefault();
  const members = [...$('hf-members').querySelectorAll('.member')].map(row => Object.fromEntries(
    [...row.querySelectorAll('input')].map(i => [i.name, i.value.trim()]))).filter(m => m.name || m.idNumber);
  const categories = Object.fromEntries([...$('hf-categories').querySelectorAll('input[type=checkbox]:checked')]
    .map(b => [b.value, $('hf-categories').querySelector('input[name=since-' + b.value + ']').value]));
  const body = { members, township: $('hf-township').value, village: $('hf-village').value.trim(), address: $('hf-address').value.trim(),
                 categories, risk: $('hf-risk').value, plan: $('hf-plan').value, workerId: $('hf-worker').value };
  try {
    const r = editing ? await api('PUT', '/api/households/' + editing.id, Object.assign(body, { version: editing.version }))
                      : await api('POST', '/api/households', body);
    location.hash = '#/household/' + r.id;
  } catch (e) { text($('hf-error'), message(e.code)); }
}

$('h-new').addEventListener('click', () => { location.hash = '#/household/new'; });
$('hf-add-member').addEventListener('click', () => memberRow(null));
$('hf-township').addEventListener('change', () => fillWorkers(''));
$('hf').addEventListener('submit', saveHousehold);
$('hh-edit').addEventListener('click', () => householdForm(hCurrent));
$('campaign-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const r = await api('POST', '/api/campaigns', { name: $('campaign-name').value.trim(), due: $('campaign-due').value,
      category: $('h-category').value, county: $('h-county').value, township: $('h-township').value });
    text($('campaign-result'), '已为 ' + r.ordered + ' 户安排“' + $('campaign-name').value.trim() + '”，最晚 ' + r.due + ' 前走访，负责社工会收到提醒。');
  } catch (e) { text($('campaign-result'), message(e.code)); }
});
