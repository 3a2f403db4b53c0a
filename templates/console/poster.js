// A station's printable A4 poster with its permanent WeChat QR code (scanning it starts a
// conversation placed at this station). Uses the helpers of app.js ($, api, text, show, message).
'use strict';

async function loadPoster(code) {
  show('poster');
  let p;
  try { p = await api('GET', '/api/stations/' + code + '/poster'); } catch (e) { text($('p-title'), message(e.code)); return; }
  text($('p-title'), p.county + p.township + '社工站');
  text($('p-phone'), p.phone || '（电话待补充）');
  $('p-qr').hidden = !p.qr;
  $('p-no-qr').hidden = !!p.qr;
  if (p.qr) $('p-qr').src = p.qr;
}

$('poster-print').addEventListener('click', () => window.print());
