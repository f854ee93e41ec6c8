// The saga console's page: plain JavaScript over the console's /api, refreshed every 2 seconds.
'use strict';

const REFRESH_MS = 2000;
const state = { config: null, view: 'orders', orderId: null };

function credentials() {
  return sessionStorage.getItem('console-admin');
}

async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  // Reads go with the admin's credentials too when given: where reads are closed (Kubernetes) they need them.
  if (credentials()) headers['Authorization'] = 'Basic ' + credentials();
  const response = await fetch(path, { method: options.method || 'GET', headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = body && (body.detail || body.title) || response.statusText;
    throw new Error(response.status + ': ' + detail);
  }
  return body;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function fill(tableId, rows) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...rows);
}

function time(instant) {
  return instant ? new Date(instant).toLocaleTimeString([], { hour12: false }) + '.' + String(new Date(instant).getMilliseconds()).padStart(3, '0') : '';
}

function shortId(id) {
  return id ? String(id).substring(0, 8) : '';
}

// Errors can carry whole SQL statements: the table shows the start, the tooltip and Inspect the rest.
function brief(text) {
  return text.length > 160 ? text.substring(0, 160) + '\u2026' : text;
}

function say(text, kind) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = kind || '';
}

function traceLink(message) {
  return message.traceUrl ? el('a', { href: message.traceUrl, target: '_blank', className: 'trace', title: message.traceId },
    shortId(message.traceId)) : '';
}

// ---- views

async function showOrders() {
  const params = new URLSearchParams({ size: '100' });
  const value = id => document.getElementById(id).value;
  if (value('filter-state')) params.set('state', value('filter-state'));
  if (value('filter-flow')) params.set('flow', value('filter-flow'));
  if (value('filter-customer')) params.set('customerId', value('filter-customer'));
  if (value('filter-max-age')) params.set('maxAge', value('filter-max-age'));
  if (document.getElementById('filter-stuck').checked) params.set('stuck', 'true');
  const page = await api('/api/orders?' + params);
  fill('orders', page.content.map(order => el('tr', {
      className: 'clickable order-row' + (order.stuck ? ' stuck' : ''), 'data-order-id': order.orderId,
      'data-state': order.state, 'data-flow': order.flow, onclick: () => { location.hash = '#order/' + order.orderId; } },
    el('td', {}, el('code', { title: order.orderId }, shortId(order.orderId))),
    el('td', {}, order.flow || ''), el('td', {}, order.customerId || ''),
    el('td', { className: 'state state-' + order.state }, order.state + (order.stuck ? ' (stuck)' : '')),
    el('td', {}, order.reason || ''), el('td', {}, order.total ?? ''), el('td', {}, time(order.createdAt)),
    el('td', {}, order.messages), el('td', {}, order.compensations), el('td', {}, order.deadLetters))));
  document.getElementById('orders-count').textContent = page.page.totalElements + ' orders';
}

async function showOrder() {
  const timeline = await api('/api/orders/' + state.orderId);
  const order = timeline.order;
  document.getElementById('timeline-order-id').textContent = order.orderId;
  const summary = document.getElementById('timeline-summary');
  summary.replaceChildren(
    el('span', { id: 'timeline-state', className: 'state-' + order.state }, order.state), ' · ',
    (order.flow || '?') + ' · customer ' + (order.customerId || '?') + ' · total ' + (order.total ?? '?'),
    order.reason ? ' · reason ' + order.reason : '', order.sagaId ? ' · saga ' + order.sagaId : '', ' · trace ',
    order.traceUrl ? el('a', { href: order.traceUrl, target: '_blank', id: 'timeline-trace' }, order.traceId) : 'none');
  fill('timeline', timeline.messages.map(message => el('tr', {
      className: 'timeline-row', 'data-event-type': message.eventType || '', 'data-outcome': message.outcome },
    el('td', {}, time(message.time)), el('td', {}, message.sender || ''), el('td', {}, message.topic),
    el('td', {}, (message.eventType || '(no type)') + (message.answers ? ' \u2190 ' + message.answers : '')),
    el('td', { className: 'outcome outcome-' + message.outcome, title: message.error || '' },
      message.outcome + (message.error ? ': ' + brief(message.error) : '')),
    el('td', {}, message.attempt > 1 ? 'retry ' + (message.attempt - 1) : '1'), el('td', {}, traceLink(message)),
    el('td', {}, el('button', { className: 'inspect', onclick: () => inspect(message.id, 'inspect') }, 'Inspect')))));
}

async function inspect(id, target) {
  const message = await api('/api/messages/' + id);
  let payload = message.payload;
  try { payload = JSON.stringify(JSON.parse(payload), null, 2); } catch (e) { /* not JSON: shown as it is */ }
  document.getElementById(target).textContent = message.record + '  ' + (message.eventType || '') + '\n\nheaders '
    + JSON.stringify(message.headers, null, 2) + '\n\npayload ' + payload;
}

async function showStuck() {
  const sagas = await api('/api/sagas/stuck').catch(error => { say('stuck sagas: ' + error.message, 'error'); return { content: [] }; });
  fill('stuck-sagas', sagas.content.map(saga => el('tr', { className: 'stuck-saga', 'data-saga-id': saga.sagaId, 'data-order-id': saga.orderId },
    el('td', {}, el('code', { title: saga.sagaId }, shortId(saga.sagaId))),
    el('td', {}, el('a', { href: '#order/' + saga.orderId }, shortId(saga.orderId))),
    el('td', {}, saga.currentStep || ''), el('td', {}, saga.attempts), el('td', {}, saga.reason || ''), el('td', {}, time(saga.updatedAt)),
    el('td', {}, el('button', { className: 'retry', onclick: () => retry(saga.sagaId) }, 'Retry')))));
  const orders = await api('/api/orders?stuck=true&size=100');
  fill('stuck-orders', orders.content.map(order => el('tr', { className: 'clickable stuck-order', 'data-order-id': order.orderId,
      onclick: () => { location.hash = '#order/' + order.orderId; } },
    el('td', {}, el('code', {}, shortId(order.orderId))), el('td', {}, order.flow || ''), el('td', {}, order.customerId || ''),
    el('td', {}, time(order.lastMessageAt)), el('td', {}, order.deadLetters))));
}

async function showDeadLetters() {
  const result = await api('/api/dead-letters');
  fill('dead-letters', result.deadLetters.map(letter => el('tr', { className: 'dead-letter', 'data-record': letter.record,
      'data-order-id': letter.orderId || '', 'data-replayed': String(letter.replayed) },
    el('td', {}, time(letter.time)), el('td', {}, el('code', {}, letter.record)), el('td', {}, letter.eventType || '(none)'),
    el('td', {}, letter.orderId ? el('a', { href: '#order/' + letter.orderId }, shortId(letter.orderId)) : ''),
    el('td', {}, letter.consumerGroup || '?'), el('td', { className: 'error', title: letter.error || '' }, brief(letter.error || '')),
    el('td', { className: letter.replayed ? 'outcome-REPLAYED' : 'outcome-DEAD_LETTERED' }, letter.replayed ? 'replayed' : 'waiting'),
    el('td', {}, el('button', { className: 'inspect', onclick: () => inspect(letter.id, 'dead-letter-inspect') }, 'Inspect'), ' ',
      el('button', { className: 'replay', onclick: () => replay(letter.record) }, 'Replay')))));
}

async function showResilience() {
  const result = await api('/api/resilience');
  const breakers = [];
  const relay = [];
  for (const service of result.services) {
    if (!service.reachable) {
      breakers.push(el('tr', { className: 'breaker-row', 'data-service': service.service },
        el('td', {}, service.service), el('td', { colspan: 3, className: 'breaker-OPEN' }, 'unreachable')));
      continue;
    }
    const bulkheads = Object.fromEntries(service.bulkheads.map(b => [b.name, b]));
    const names = [...new Set([...service.breakers.map(b => b.name), ...service.bulkheads.map(b => b.name)])];
    for (const name of names) {
      const breaker = service.breakers.find(b => b.name === name);
      const bulkhead = bulkheads[name];
      breakers.push(el('tr', { className: 'breaker-row', 'data-service': service.service, 'data-name': name,
          'data-state': breaker ? breaker.state : '' },
        el('td', {}, service.service), el('td', {}, name),
        el('td', { className: 'breaker breaker-' + (breaker ? breaker.state : '') }, breaker ? breaker.state : '-'),
        el('td', {}, bulkhead ? (bulkhead.available ?? '?') + ' / ' + (bulkhead.max ?? '?') : '-')));
    }
    for (const source of service.relaySources) {
      relay.push(el('tr', { className: 'relay-row', 'data-source': source.source },
        el('td', {}, source.source), el('td', {}, source.running === null ? '?' : source.running ? 'yes' : 'NO'),
        el('td', {}, source.lagSeconds === null ? '-' : source.lagSeconds.toFixed(3)),
        el('td', {}, source.slotLagBytes === null ? '-' : source.slotLagBytes)));
    }
  }
  fill('breakers', breakers);
  fill('relay', relay);
}

// ---- actions (admin)

async function retry(sagaId) {
  try {
    await api('/api/sagas/' + sagaId + '/retry', { method: 'POST' });
    say('saga ' + sagaId + ' retried', 'ok');
  } catch (error) {
    say('retry failed: ' + error.message, 'error');
  }
  refresh();
}

async function replay(record) {
  try {
    const result = await api('/api/dead-letters/replay', { method: 'POST', body: { record } });
    say(record + ' replayed by ' + result.service, 'ok');
  } catch (error) {
    say('replay failed: ' + error.message, 'error');
  }
  refresh();
}

// ---- routing and refresh

const VIEWS = { orders: showOrders, order: showOrder, stuck: showStuck, 'dead-letters': showDeadLetters, resilience: showResilience };

function route() {
  const hash = location.hash.substring(1) || 'orders';
  const [view, id] = hash.split('/');
  state.view = VIEWS[view] ? view : 'orders';
  state.orderId = id || null;
  document.getElementById('inspect').textContent = '';
  for (const section of document.querySelectorAll('.view')) section.classList.toggle('active', section.id === 'view-' + state.view);
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.getAttribute('href') === '#' + state.view);
  refresh();
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    await VIEWS[state.view]();
    const config = await api('/api/config');
    document.getElementById('messages-seen').textContent = config.messagesSeen + ' messages seen';
    document.body.dataset.refreshed = String(Date.now());
  } catch (error) {
    say(error.message.startsWith('401') ? 'sign in as the admin (top right): the console needs its credentials here' : error.message, 'error');
  } finally {
    refreshing = false;
  }
}

document.getElementById('admin-form').addEventListener('submit', event => {
  event.preventDefault();
  const user = document.getElementById('admin-user').value;
  const password = document.getElementById('admin-password').value;
  sessionStorage.setItem('console-admin', btoa(user + ':' + password));
  document.getElementById('admin-password').value = '';
  showAdmin();
  refresh();
});

function showAdmin() {
  document.getElementById('admin-status').textContent = credentials() ? 'admin: ' + atob(credentials()).split(':')[0] : 'admin: not signed in';
}

document.getElementById('order-filters').addEventListener('change', refresh);
document.getElementById('filter-customer').addEventListener('input', refresh);
window.addEventListener('hashchange', route);
showAdmin();
route();
setInterval(refresh, REFRESH_MS);
