// The console's duty rosters (值班表): a station's in its panel, the county's or the city's at the
// top of the staff page. Uses the helpers of app.js ($, api, text, message, me).
'use strict';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const rosterKeys = {};

async function showRoster(key, rows, status) {
  rosterKeys[rows] = key;
  text($(status), '');
  const r = await api('GET', '/api/rosters/' + encodeURIComponent(key));
  const tbody = $(rows);
  tbody.replaceChildren();
  for (const w of r.candidates) {
    const tr = document.createElement('tr');
    tr.appendChild(text(document.createElement('td'), w.name + (w.bound ? '' : '（未绑定微信）')));
    for (const day of DAYS) {
      const td = document.createElement('td');
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: r.weekly[day].includes(w.id) });
      box.dataset.worker = w.id;
      box.dataset.day = day;
      box.setAttribute('aria-label', w.name + ' ' + day);
      td.appendChild(box);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
}

async function saveRoster(rows, status) {
  const weekly = Object.fromEntries(DAYS.map(d => [d, []]));
  for (const box of $(rows).querySelectorAll('input[type=checkbox]:checked')) weekly[box.dataset.day].push(box.dataset.worker);
  try {
    await api('PUT', '/api/rosters/' + encodeURIComponent(rosterKeys[rows]), { weekly });
    text($(status), '已保存');
  } catch (e) { text($(status), message(e.code)); }
}

async function showDuty() {
  const key = me.role === 'COUNTY' ? 'county:' + me.area : me.role === 'CITY' ? 'city' : null;
  $('duty').hidden = !key;
  if (!key) return;
  text($('duty-title'), me.role === 'CITY' ? '市级值班表' : '县级值班表');
  await showRoster(key, 'duty-rows', 'duty-status');
}

$('roster-save').addEventListener('click', () => saveRoster('roster-rows', 'roster-status'));
$('duty-save').addEventListener('click', () => saveRoster('duty-rows', 'duty-status'));
