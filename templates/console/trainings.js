// The console's training records (培训记录): enter a training, get its sign-in code, see who signed in.
// Uses the helpers of app.js ($, api, text, show, message).
'use strict';

async function loadTrainings() {
  show('trainings');
  if (!$('t-date').value) $('t-date').value = new Date().toISOString().slice(0, 10);
  const tbody = $('t-rows');
  tbody.replaceChildren();
  for (const t of (await api('GET', '/api/trainings')).items) {
    const tr = document.createElement('tr');
    for (const v of [t.date, t.title, t.kind, t.organiser, t.hours, t.code, t.attendees.length + (t.attendees.length ? '：' + t.attendees.join('、') : '')]) {
      tr.appendChild(text(document.createElement('td'), v));
    }
    tbody.appendChild(tr);
  }
  const a = await api('GET', '/api/trainings/attendance');
  text($('t-total'), a.items.length ? '共 ' + a.times + ' 人次，' + a.hours + ' 学时' : '今年还没有人签到。');
  const rows = $('t-attendance');
  rows.replaceChildren();
  for (const w of a.items) {
    const tr = document.createElement('tr');
    for (const v of [w.county, w.station + '社工站', w.worker, w.times, w.hours]) tr.appendChild(text(document.createElement('td'), v));
    rows.appendChild(tr);
  }
}

$('t-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const r = await api('POST', '/api/trainings', { title: $('t-title').value.trim(), date: $('t-date').value, kind: $('t-kind').value,
                                                    organiser: $('t-organiser').value.trim(), hours: Number($('t-hours').value) });
    text($('t-result'), '已登记。签到码 ' + r.code + '：培训当天请社工在服务号发送“签到 ' + r.code + '”。');
    $('t-title').value = '';
    loadTrainings();
  } catch (e) { text($('t-result'), message(e.code)); }
});
