// The console's first page (概览): today's requests, deadlines, visits, households, monitoring and
// satisfaction, with ECharts (served from the jar). A bar or slice opens the list behind it.
// Uses the helpers of app.js ($, api, text, show, message, me) and the inbox filters.
'use strict';

const charts = {};

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(id));
  return charts[id];
}

function card(label, value, hash, alarm) {
  const a = Object.assign(document.createElement('a'), { href: hash, className: 'card' + (alarm && value > 0 ? ' alarm' : '') });
  a.appendChild(text(document.createElement('strong'), value == null ? '—' : value));
  a.appendChild(text(document.createElement('span'), label));
  return a;
}

async function loadDashboard() {
  show('dashboard');
  let d;
  try { d = await api('GET', '/api/dashboard'); } catch (e) { text($('d-area'), message(e.code)); return; }
  text($('d-area'), (me.role === 'CITY' ? '全市' : me.role === 'COUNTY' ? '本县' : '本乡镇') + '（求助统计于 ' + time(d.requestsAt) + '）');
  $('d-cards').replaceChildren(
    card('今天新求助', d.today.new, '#/inbox?status=ALL&from=' + d.today.date + '&to=' + d.today.date),
    card('等待派给社工', d.today.waiting, '#/inbox?only=waiting', true),
    card('紧急求助办理中', d.today.urgent, '#/inbox?urgent=true', true),
    card('已超期限', d.today.overdue, '#/inbox?only=overdue', true),
    card('本周超期（次）', d.today.missedThisWeek, '#/inbox?status=ALL&only=overdue', true),
    card('待审核风险信号', d.monitoringFlagsOpen, '#/monitoring', true),
    card('满意度（' + d.ratings + ' 条评价）', d.averageRating, '#/report'));

  const weeks = d.weeks.map(w => w.monday.slice(5));
  const codes = Object.keys(d.categoryLabels);
  chart('d-weeks').setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 50, left: 40, right: 10, bottom: 30 },
    xAxis: { type: 'category', data: weeks }, yAxis: { type: 'value', minInterval: 1 },
    series: codes.map(code => ({ name: d.categoryLabels[code], type: 'bar', stack: 'all', code,
                                 data: d.weeks.map(w => w.categories[code] || 0) }))
  }, true);
  chart('d-weeks').off('click');
  chart('d-weeks').on('click', (p) => {
    const monday = d.weeks[p.dataIndex].monday;
    const sunday = new Date(new Date(monday + 'T00:00:00Z').getTime() + 6 * 86400000).toISOString().slice(0, 10);
    showInbox({ status: 'ALL', category: codes[p.seriesIndex], from: monday, to: sunday });
  });

  text($('d-visits-title'), '本季度入户探访（' + d.quarter.from + ' 至 ' + d.quarter.to + '，按县；走访和在册数据 ' + minute(d.registryAt)
    + ' 统计，每 5 分钟更新）');
  const parts = [['onTime', '按时完成'], ['late', '逾期完成'], ['missed', '未访'], ['open', '尚未到期']];
  chart('d-visits').setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 50, left: 40, right: 10, bottom: 30 },
    xAxis: { type: 'category', data: d.visitsByCounty.map(c => c.name) }, yAxis: { type: 'value', minInterval: 1 },
    series: parts.map(([key, name]) => ({ name, type: 'bar', stack: 'all', data: d.visitsByCounty.map(c => c[key]) }))
  }, true);
  chart('d-visits').off('click');
  chart('d-visits').on('click', (p) => { // that county's visits of the quarter in that state
    const state = { onTime: 'ON_TIME', late: 'LATE', missed: 'MISSED', open: 'OPEN' }[parts[p.seriesIndex][0]];
    location.hash = '#/visits?county=' + d.visitsByCounty[p.dataIndex].county + '&state=' + state;
  });

  chart('d-care').setOption({
    animation: false, tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: ['35%', '70%'], data: d.inCare.map(c => ({ name: c.label, value: c.households, code: c.code })) }]
  }, true);
  chart('d-care').off('click');
  chart('d-care').on('click', (p) => {
    location.hash = '#/households?category=' + p.data.code;
  });
}

window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
