// The mcq dashboard: polls the admin API every 2 s and keeps the last 5 minutes in memory.
'use strict';

const POLL_MS = 2000;
const HISTORY = 150;        // points kept: 5 minutes at one per poll
const PAGE_SIZE = 50;

const state = {
  offset: 0,
  search: '',
  total: 0,
  selected: null,           // name of the queue shown in detail
  lastServer: null,         // previous /api/server answer, for rates
  lastQueues: new Map(),    // name -> {enqueued, dequeued, at} of the previous poll
  queueHistory: [],         // the selected queue: {t, messages, inRate, outRate}
};

const $ = id => document.getElementById(id);

// Absolute, from the origin: a page opened as http://user:password@host/ would otherwise resolve
// relative URLs with the credentials in them, which fetch refuses. The browser sends the login it
// already has for this origin.
const BASE = location.origin + location.pathname.replace(/[^/]*$/, '');

function api(path, options) {
  return fetch(BASE + 'api/' + path, Object.assign({credentials: 'same-origin', cache: 'no-store'}, options))
    .then(response => {
      if (!response.ok) {
        return response.text().then(text => { throw new Error(response.status + ' ' + text.trim()); });
      }
      return response.status === 204 ? null : response.json();
    });
}

function queuePath(name) {
  return 'queues/' + encodeURIComponent(name);
}

function format(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function age(ms) {
  if (!ms) return '–';
  if (ms < 1000) return ms + ' ms';
  if (ms < 120000) return (ms / 1000).toFixed(1) + ' s';
  if (ms < 7200000) return (ms / 60000).toFixed(1) + ' min';
  return (ms / 3600000).toFixed(1) + ' h';
}

function lineChart(canvas, series) {
  return new Chart($(canvas), {
    type: 'line',
    data: {labels: [], datasets: series.map(([label, color]) => ({label, data: [], borderColor: color,
      backgroundColor: color, pointRadius: 0, borderWidth: 1.5, tension: 0.2}))},
    options: {animation: false, responsive: true, maintainAspectRatio: false,
      scales: {x: {ticks: {maxTicksLimit: 6}}, y: {beginAtZero: true}},
      plugins: {legend: {labels: {boxWidth: 10}}}},
  });
}

const charts = {
  throughput: lineChart('chart-throughput', [['sets/s', '#3d6fd9'], ['gets/s', '#27ae60']]),
  depth: lineChart('chart-depth', [['messages', '#8e44ad']]),
  commit: lineChart('chart-commit', [['commit p50', '#e67e22'], ['commit p99', '#c0392b'], ['forced write p50', '#16a085']]),
  queue: lineChart('chart-queue', [['messages', '#8e44ad'], ['in/s', '#3d6fd9'], ['out/s', '#27ae60']]),
};

function push(chart, label, values) {
  chart.data.labels.push(label);
  values.forEach((v, i) => chart.data.datasets[i].data.push(v));
  if (chart.data.labels.length > HISTORY) {
    chart.data.labels.shift();
    chart.data.datasets.forEach(d => d.data.shift());
  }
  chart.update('none');
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString();
}

function showServer(s) {
  $('mode').textContent = s.sync ? 'durable (sync)' : 'no-sync';
  $('f-queues').textContent = format(s.queues);
  $('f-messages').textContent = format(s.messages);
  $('f-connections').textContent = format(s.connections);
  $('f-commit').textContent = s.commitP50Ms.toFixed(2) + ' / ' + s.commitP99Ms.toFixed(2);
  $('f-forced').textContent = s.forcedWriteP50Ms.toFixed(2) + ' / ' + s.forcedWriteP99Ms.toFixed(2);
  $('f-failures').textContent = format(s.failedWrites);
  const last = state.lastServer;
  let sets = 0, gets = 0;
  if (last) {
    const seconds = Math.max(0.001, (s.timeMs - last.timeMs) / 1000);
    const count = (x, verb) => (x.commands[verb] || 0);
    sets = (count(s, 'set') - count(last, 'set')) / seconds;
    gets = (count(s, 'get') + count(s, 'gets') - count(last, 'get') - count(last, 'gets')) / seconds;
    $('f-sets').textContent = format(Math.max(0, sets));
    $('f-gets').textContent = format(Math.max(0, gets));
  }
  state.lastServer = s;
  const t = clock(s.timeMs);
  push(charts.throughput, t, [Math.max(0, sets), Math.max(0, gets)]);
  push(charts.depth, t, [s.messages]);
  push(charts.commit, t, [s.commitP50Ms, s.commitP99Ms, s.forcedWriteP50Ms]);
}

function rates(queue, now) {
  const last = state.lastQueues.get(queue.name);
  state.lastQueues.set(queue.name, {enqueued: queue.enqueued, dequeued: queue.dequeued, at: now});
  if (!last) return [null, null];
  const seconds = Math.max(0.001, (now - last.at) / 1000);
  return [Math.max(0, (queue.enqueued - last.enqueued) / seconds), Math.max(0, (queue.dequeued - last.dequeued) / seconds)];
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
}

function showQueues(queues, total, now) {
  state.total = total;
  const body = $('queues').querySelector('tbody');
  const rows = [];
  for (const q of queues) {
    const [inRate, outRate] = rates(q, now);
    const row = document.createElement('tr');
    row.dataset.queue = q.name;
    if (q.name === state.selected) row.classList.add('selected');
    cell(row, q.name, 'name');
    cell(row, String(q.messages), 'messages');
    cell(row, format(q.bytes), 'bytes');
    cell(row, format(inRate), 'in');
    cell(row, format(outRate), 'out');
    cell(row, age(q.oldestAgeMs), 'age');
    cell(row, String(q.openReads), 'open');
    cell(row, String(q.waiters), 'waiters');
    row.addEventListener('click', () => select(q.name));
    rows.push(row);
    if (q.name === state.selected) {
      push(charts.queue, clock(now), [q.messages, inRate || 0, outRate || 0]);
    }
  }
  body.replaceChildren(...rows);
  const last = Math.min(state.offset + PAGE_SIZE, total);
  $('page').textContent = total === 0 ? 'no queues' : (state.offset + 1) + '–' + last + ' of ' + total;
  $('prev').disabled = state.offset === 0;
  $('next').disabled = last >= total;
}

function refreshDetail() {
  const name = state.selected;
  if (!name) return Promise.resolve();
  return api(queuePath(name) + '/messages?limit=10').then(messages => {
    if (name !== state.selected) return;
    const rows = messages.map(m => {
      const row = document.createElement('tr');
      cell(row, String(m.id));
      cell(row, String(m.flags));
      cell(row, String(m.size));
      cell(row, m.storedAt ? new Date(m.storedAt).toLocaleString() : '–');
      cell(row, m.preview + (m.previewComplete ? '' : '…'), 'preview');
      return row;
    });
    $('messages').querySelector('tbody').replaceChildren(...rows);
  }, error => {
    if (String(error.message).startsWith('404')) closeDetail();
  });
}

function select(name) {
  state.selected = name;
  charts.queue.data.labels = [];
  charts.queue.data.datasets.forEach(d => d.data = []);
  charts.queue.update('none');
  $('detail-name').textContent = name;
  $('detail').hidden = false;
  document.querySelectorAll('#queues tbody tr').forEach(r => r.classList.toggle('selected', r.dataset.queue === name));
  refreshDetail();
}

function closeDetail() {
  state.selected = null;
  $('detail').hidden = true;
}

function change(method, path, question) {
  if (!state.selected || !window.confirm(question)) return;
  api(path, {method}).then(() => poll(), error => status(error.message, true));
}

function status(text, error) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!error);
}

function showImports(imports) {
  const body = $('imports').querySelector('tbody');
  body.replaceChildren();
  for (const job of imports) {
    const row = body.insertRow();
    cell(row, String(job.id));
    cell(row, job.source);
    cell(row, job.state, job.state === 'failed' ? 'error' : '');
    cell(row, job.reliable === null ? '' : job.reliable ? 'open/close' : 'plain get');
    cell(row, format(job.total), 'number');
    cell(row, Object.entries(job.moved).map(([name, n]) => name + ': ' + n).join(', '));
    cell(row, job.failure || '');
  }
}

function poll() {
  const now = Date.now();
  const query = 'queues?offset=' + state.offset + '&limit=' + PAGE_SIZE + '&search=' + encodeURIComponent(state.search);
  return Promise.all([
    api('server').then(showServer),
    fetch(BASE + 'api/' + query, {credentials: 'same-origin', cache: 'no-store'}).then(response => {
      if (!response.ok) return response.text().then(text => { throw new Error(response.status + ' ' + text.trim()); });
      const total = Number(response.headers.get('X-Total-Count') || 0);
      return response.json().then(queues => showQueues(queues, total, now));
    }),
    refreshDetail(),
    api('imports').then(showImports),
  ]).then(() => status('updated ' + clock(now)), error => status(error.message, true));
}

$('search').addEventListener('input', event => { state.search = event.target.value; state.offset = 0; poll(); });
$('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); poll(); });
$('next').addEventListener('click', () => { state.offset += PAGE_SIZE; poll(); });
$('close-detail').addEventListener('click', closeDetail);
$('purge').addEventListener('click', () =>
  change('DELETE', queuePath(state.selected) + '/messages', 'Remove every message of "' + state.selected + '"?'));
$('delete').addEventListener('click', () =>
  change('DELETE', queuePath(state.selected), 'Delete the queue "' + state.selected + '" with its messages?'));

$('import-form').addEventListener('submit', event => {
  event.preventDefault();
  const queues = $('import-queues').value.split(',').map(name => name.trim()).filter(name => name);
  api('imports', {method: 'POST', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({source: $('import-source').value.trim(), queues})})
    .then(() => poll(), error => status(error.message, true));
});

poll();
setInterval(poll, POLL_MS);
