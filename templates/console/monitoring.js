// The console's 动态监测 page: risk signals waiting for review, and the four decisions.
// Uses the helpers of app.js ($, api, text, show, message, time).
'use strict';

const MONITORING = {
  source: { message: '居民求助', visit_note: '走访记录' },
  decisions: [['RISK_RAISED', '确认重大变化', true], ['ENROLLED', '纳入监测', true], ['FOLLOWED_UP', '在求助中跟进', false],
              ['DISMISSED', '排除', null]]
};

async function loadMonitoring(notice) {
  show('monitoring');
  text($('m-error'), notice || '');
  const tbody = $('m-rows');
  tbody.replaceChildren();
  let items;
  try { items = (await api('GET', '/api/monitoring')).items; } catch (e) { text($('m-error'), message(e.code)); return; }
  if (!items.length) {
    const tr = document.createElement('tr');
    const td = text(document.createElement('td'), '没有待审核的风险信号。');
    td.colSpan = 5;
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
  for (const f of items) {
    const tr = document.createElement('tr');
    const who = document.createElement('td');
    const link = document.createElement('a');
    link.href = f.householdId ? '#/household/' + f.householdId : '#/case/' + f.caseId;
    text(link, f.householdId ? f.name + '（在册）' : '求助 ' + f.caseNumber);
    who.appendChild(link);
    tr.appendChild(who);
    tr.appendChild(text(document.createElement('td'), f.place || '乡镇未知'));
    tr.appendChild(text(document.createElement('td'), f.signals.join('、')));
    const quotes = document.createElement('td');
    for (const e of f.evidence) {
      const p = text(document.createElement('p'), '“' + e.quote + '”');
      p.appendChild(text(document.createElement('small'), ' ' + MONITORING.source[e.source] + ' · ' + time(e.at)));
      quotes.appendChild(p);
    }
    tr.appendChild(quotes);
    const actions = document.createElement('td');
    for (const [decision, label, household] of MONITORING.decisions) {
      if (household === true && !f.householdId) continue;
      if (household === false && f.householdId) continue;
      const b = text(document.createElement('button'), label);
      b.addEventListener('click', async () => {
        try { await api('POST', '/api/monitoring/' + f.id + '/review', { decision }); loadMonitoring(); }
        catch (e) { loadMonitoring(message(e.code)); }
      });
      actions.appendChild(b);
    }
    tr.appendChild(actions);
    tbody.appendChild(tr);
  }
}
