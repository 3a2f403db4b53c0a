// Sortable tables: a click on a heading of any table.sortable sorts its rows by that column (again:
// the other way). Numbers sort as numbers, dates as dates, Chinese by pinyin. Paged lists sort the
// rows of the page shown.
'use strict';

function cellValue(row, index) {
  const cell = row.cells[index];
  return cell ? cell.textContent.trim() : '';
}

function compareCells(a, b) {
  const na = Number(a.replace(/[,，]/g, '')), nb = Number(b.replace(/[,，]/g, ''));
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.localeCompare(b, 'zh-Hans-CN', { numeric: true });
}

document.addEventListener('click', (ev) => {
  const th = ev.target.closest('table.sortable thead th');
  if (!th || !th.textContent.trim()) return;
  const table = th.closest('table');
  const index = [...th.parentNode.children].indexOf(th);
  const ascending = th.dataset.sorted !== 'asc';
  for (const other of th.parentNode.children) { delete other.dataset.sorted; }
  th.dataset.sorted = ascending ? 'asc' : 'desc';
  const body = table.tBodies[0];
  const rows = [...body.rows].filter(r => r.cells.length > 1);
  rows.sort((x, y) => (ascending ? 1 : -1) * compareCells(cellValue(x, index), cellValue(y, index)));
  for (const r of rows) body.appendChild(r);
});
