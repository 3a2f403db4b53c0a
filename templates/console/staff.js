// Stations and workers (社工站与社工): an area tree (county → station), a station's workers, bind codes,
// duty rosters. Uses the helpers of app.js.
'use strict';

async function loadStaff() {
  show('staff');
  showDuty();
  $('station').hidden = true;
  $('staff').appendChild($('station')); // out of the tree before the tree is rebuilt
  const box = $('stations');
  box.replaceChildren();
  const all = (await api('GET', '/api/stations')).items;
  const counties = new Map();
  for (const s of all) {
    if (!counties.has(s.county)) counties.set(s.county, []);
    counties.get(s.county).push(s);
  }
  // The area tree: 保山市 → county → station (township); a station's page opens right under its row.
  for (const [county, list] of counties) {
    const details = document.createElement('details');
    details.open = counties.size === 1;
    const summary = text(document.createElement('summary'), county + ' ');
    summary.appendChild(text(document.createElement('span'), list.length + ' 个社工站，在岗社工 '
      + list.reduce((n, s) => n + s.workers, 0) + ' 人')).className = 'muted';
    details.appendChild(summary);
    const table = document.createElement('table');
    table.className = 'sortable';
    const head = table.createTHead().insertRow();
    for (const h of ['社工站', '电话', '在岗社工']) head.appendChild(text(document.createElement('th'), h));
    const body = table.createTBody();
    for (const s of list) {
      const tr = body.insertRow();
      for (const v of [s.township + '社工站', s.phone || '未填写', s.workers]) tr.appendChild(text(document.createElement('td'), v));
      tr.addEventListener('click', () => {
        for (const other of box.querySelectorAll('tr.chosen')) other.classList.remove('chosen');
        tr.classList.add('chosen');
        for (const old of box.querySelectorAll('tr.station-row')) old.remove();
        const holder = document.createElement('tr');
        holder.className = 'station-row';
        const cell = holder.insertCell();
        cell.colSpan = 3;
        cell.appendChild($('station'));
        tr.after(holder);
        openStation(s);
      });
    }
    details.appendChild(table);
    box.appendChild(details);
  }
}

let station = null;
async function openStation(s) {
  station = s;
  $('station').hidden = false;
  text($('station-title'), s.county + s.township + '社工站');
  $('station-phone').value = s.phone || '';
  text($('station-status'), '');
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


$('station-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await api('PUT', '/api/stations/' + station.code, { phone: $('station-phone').value.trim(), active: station.active });
    station.phone = $('station-phone').value.trim();
    text($('station-status'), '已保存');
  } catch (e) { text($('staff-error'), message(e.code)); }
});
