// The audit log (审计日志) for the auditor and the city: filters kept in the address, 50 entries a page,
// an Excel file of what the filters select. Uses the helpers of app.js.
'use strict';

const AUDIT_FILTERS = [['who', 'a-who'], ['action', 'a-action'], ['record', 'a-record'], ['from', 'a-from'], ['to', 'a-to']];
let auditPage = 0;

function showAudit(filters) { showList('#/audit', filters, loadAudit); }
function auditForm() { return formValues(AUDIT_FILTERS); }

async function loadAudit() {
  show('audit');
  $('corrections').hidden = me.role !== 'CITY';
  const q = hashQuery();
  auditPage = Number(q.get('page')) || 0;
  const params = new URLSearchParams(q);
  params.set('page', String(auditPage));
  const excel = new URLSearchParams(q);
  excel.delete('page');
  $('a-excel').href = '/api/audit.xlsx?' + excel;
  let r;
  try { r = await api('GET', '/api/audit?' + params); } catch (e) { text($('a-total'), message(e.code)); return; }
  if ($('a-action').options.length === 1) {
    for (const [code, label] of Object.entries(r.actions)) {
      $('a-action').appendChild(Object.assign(document.createElement('option'), { value: code, textContent: label }));
    }
  }
  for (const [key, id] of AUDIT_FILTERS) $(id).value = q.get(key) || '';
  text($('a-total'), r.total ? '共 ' + r.total + ' 条' : '没有符合条件的记录。');
  text($('a-page'), '第 ' + (auditPage + 1) + ' 页');
  $('a-prev').disabled = auditPage === 0;
  $('a-next').disabled = (auditPage + 1) * r.pageSize >= r.total;
  const tbody = $('audit-rows');
  tbody.replaceChildren();
  for (const e of r.items) {
    const tr = document.createElement('tr');
    for (const v of [time(e.at), e.who, e.label, e.record, e.from]) tr.appendChild(text(document.createElement('td'), v));
    tbody.appendChild(tr);
  }
}

$('a-filters').addEventListener('submit', (ev) => { ev.preventDefault(); showAudit(auditForm()); });
$('a-action').addEventListener('change', () => showAudit(auditForm()));
$('a-prev').addEventListener('click', () => showAudit(Object.assign(auditForm(), { page: String(Math.max(0, auditPage - 1)) })));
$('a-next').addEventListener('click', () => showAudit(Object.assign(auditForm(), { page: String(auditPage + 1) })));
