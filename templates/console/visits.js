// Home visits (入户探访): the visits of a period in an area, category and state — what the dashboard's
// bars and the report's visit figures open. Filters kept in the address. Uses the helpers of app.js.
'use strict';

const VISIT_FILTERS = [['period', 'v-when'], ['county', 'v-county'], ['township', 'v-township'], ['category', 'v-category'],
                       ['state', 'v-state']];
const VISIT_STATES = { ON_TIME: '按时完成', LATE: '逾期完成', MISSED: '未访', OPEN: '尚未到期' };
let visitPage = 0;

function showVisits(filters) { showList('#/visits', filters, loadVisits); }
function visitForm() { return formValues(VISIT_FILTERS); }

async function visitOptions() {
  if ($('v-category').options.length > 1) return;
  fillCounties($('v-county'), await stationList());
  const meta = await api('GET', '/api/registry/meta');
  fillSelect($('v-category'), [['', '全部类别']].concat(meta.categories.map(c => [c.code, c.label])), null);
}

async function loadVisits() {
  show('visits');
  await visitOptions();
  const q = hashQuery();
  visitPage = Number(q.get('page')) || 0;
  $('v-county').value = q.get('county') || '';
  fillTownships($('v-township'), $('v-county').value, await stationList());
  for (const [key, id] of VISIT_FILTERS) $(id).value = q.get(key) || '';
  const params = new URLSearchParams(q);
  params.set('page', String(visitPage));
  const excel = new URLSearchParams(q);
  excel.delete('page');
  $('v-excel').href = '/api/visits.xlsx?' + excel;
  let r;
  try { r = await api('GET', '/api/visits?' + params); } catch (e) { text($('v-total'), message(e.code)); return; }
  text($('v-period'), r.from + ' 至 ' + r.to + ' 应访');
  text($('v-total'), r.total ? '共 ' + r.total + ' 次走访' : '没有符合条件的走访。');
  text($('v-page'), '第 ' + (visitPage + 1) + ' 页');
  $('v-prev').disabled = visitPage === 0;
  $('v-next').disabled = (visitPage + 1) * 20 >= r.total;
  const tbody = $('v-rows');
  tbody.replaceChildren();
  for (const v of r.items) {
    const tr = document.createElement('tr');
    if (v.state === 'MISSED') tr.className = 'due-red';
    const state = VISIT_STATES[v.state] + (v.state === 'MISSED' ? '（逾期 ' + v.overdueDays + ' 天）' : '');
    for (const x of [v.code, v.name, v.category, v.place, v.worker, v.due, v.doneOn, state]) tr.appendChild(text(document.createElement('td'), x));
    tr.addEventListener('click', () => { location.hash = '#/household/' + v.householdId; });
    tbody.appendChild(tr);
  }
}

$('v-filters').addEventListener('submit', (ev) => { ev.preventDefault(); showVisits(visitForm()); });
for (const id of ['v-county', 'v-township', 'v-category', 'v-state']) {
  $(id).addEventListener('change', () => { if (id === 'v-county') $('v-township').value = ''; showVisits(visitForm()); });
}
$('v-prev').addEventListener('click', () => showVisits(Object.assign(visitForm(), { page: String(Math.max(0, visitPage - 1)) })));
$('v-next').addEventListener('click', () => showVisits(Object.assign(visitForm(), { page: String(visitPage + 1) })));
