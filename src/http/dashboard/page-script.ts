/**
 * The dashboard's script, inlined in the page: plain DOM, no framework. It reads the resources from
 * the page, follows `stream` (server-sent events) and asks `resources/...` for records; every URL is
 * relative to where the page is served. Countdowns tick here, from the deadlines the server sends in
 * its clock's time and the offset between that clock and this one (taken from each snapshot).
 * @internal
 */
export const SCRIPT = String.raw`
(function () {
  'use strict';
  var meta = JSON.parse(document.getElementById('dashboard-meta').textContent);
  var base = location.pathname.replace(/\/?$/, '/');
  var HISTORY = 180;
  var resources = {};
  meta.resources.forEach(function (r) { resources[r.name] = r; });
  var state = {
    resource: meta.resources.length ? meta.resources[0].name : null,
    offset: 0,
    history: {},
    last: {},
    selected: null,
    request: 0,
    reloadTimer: 0,
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function serverNow() { return Date.now() + state.offset; }
  function shown(v) {
    if (v === null || v === undefined) return '—';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function duration(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    if (s < 60) return s + 's';
    var m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + pad(s % 60) + 's';
    return Math.floor(m / 60) + 'h ' + pad(m % 60) + 'm';
  }
  function keySegment(resource, key) {
    var text = resources[resource].primaryKey.length === 1 ? String(key) : JSON.stringify(key);
    return encodeURIComponent(text);
  }
  function recordUrl(resource, key) {
    return base + 'resources/' + encodeURIComponent(resource) + '/records/' + keySegment(resource, key);
  }
  function errorText(body) {
    var e = body && body.error;
    if (!e) return 'the server did not answer';
    var issues = (e.issues || []).map(function (i) { return i.path.join('.') + ': ' + i.message; });
    return issues.length ? issues.join('; ') : e.message;
  }
  function getJson(url, options) {
    return fetch(url, options).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error(errorText(body));
        return body;
      });
    });
  }

  // ---- per-resource cards, with a chart of the last minutes -----------------------------------
  var cards = {};
  meta.resources.forEach(function (r) {
    var card = el('div', 'card');
    card.dataset.resource = r.name;
    card.appendChild(el('h2', '', r.name));
    var figures = el('div', 'figures');
    var live = el('div', 'figure');
    var liveValue = el('b', '', '0');
    liveValue.dataset.field = 'live';
    live.appendChild(liveValue);
    live.appendChild(el('span', 'muted', 'live'));
    var calls = el('div', 'figure');
    var callsValue = el('b', '', '0');
    callsValue.dataset.field = 'calls';
    calls.appendChild(callsValue);
    calls.appendChild(el('span', 'muted', 'calls/s (1 min)'));
    var expired = el('div', 'figure');
    var expiredValue = el('b', '', '0');
    expiredValue.dataset.field = 'expired';
    expired.appendChild(expiredValue);
    expired.appendChild(el('span', 'muted', 'expired'));
    figures.appendChild(live);
    figures.appendChild(calls);
    figures.appendChild(expired);
    card.appendChild(figures);
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('width', '220');
    svg.setAttribute('height', '44');
    svg.setAttribute('viewBox', '0 0 220 44');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', r.name + ': live records and calls per second, last three minutes');
    var liveLine = document.createElementNS(svg.namespaceURI, 'polyline');
    liveLine.setAttribute('fill', 'none');
    liveLine.setAttribute('stroke', '#2f6fdb');
    var callsLine = document.createElementNS(svg.namespaceURI, 'polyline');
    callsLine.setAttribute('fill', 'none');
    callsLine.setAttribute('stroke', '#c76a00');
    svg.appendChild(liveLine);
    svg.appendChild(callsLine);
    card.appendChild(svg);
    var legend = el('div', 'legend muted');
    legend.appendChild(el('span', 'live', '— live'));
    legend.appendChild(document.createTextNode('  '));
    legend.appendChild(el('span', 'calls', '— calls/s'));
    card.appendChild(legend);
    card.addEventListener('click', function () { selectResource(r.name); });
    $('resources').appendChild(card);
    cards[r.name] = { card: card, live: liveValue, calls: callsValue, expired: expiredValue, liveLine: liveLine, callsLine: callsLine };
    state.history[r.name] = [];
  });

  function points(values) {
    var max = Math.max.apply(null, values.concat([1]));
    return values.map(function (v, i) {
      var x = 220 - (values.length - 1 - i) * (220 / (HISTORY - 1));
      return x.toFixed(1) + ',' + (42 - (v / max) * 40).toFixed(1);
    }).join(' ');
  }

  function onSnapshot(snap) {
    state.offset = snap.now - Date.now();
    $('server-time').textContent = 'server time ' + new Date(snap.now).toLocaleTimeString();
    var nodes = $('nodes');
    nodes.textContent = '';
    (snap.nodes || (snap.node ? [{ name: snap.node }] : [])).forEach(function (n) {
      nodes.appendChild(el('span', 'node', n.name));
    });
    if (snap.history) {
      // The server's last minutes, so the charts do not start empty.
      Object.keys(snap.history).forEach(function (name) {
        if (!state.history[name]) return;
        state.history[name] = snap.history[name].map(function (p) { return { live: p.live, calls: p.calls }; });
      });
    }
    snap.resources.forEach(function (s) {
      var c = cards[s.resource];
      if (!c) return;
      c.live.textContent = String(s.live);
      c.calls.textContent = s.rates.calls.toFixed(1);
      c.expired.textContent = String(s.totals.expired);
      var last = state.last[s.resource];
      var perSecond = last ? Math.max(0, (s.totals.calls - last.calls) * 1000 / Math.max(1, snap.now - last.at)) : 0;
      state.last[s.resource] = { calls: s.totals.calls, at: snap.now };
      var h = state.history[s.resource];
      h.push({ live: s.live, calls: perSecond });
      if (h.length > HISTORY) h.shift();
      c.liveLine.setAttribute('points', points(h.map(function (p) { return p.live; })));
      c.callsLine.setAttribute('points', points(h.map(function (p) { return p.calls; })));
    });
  }

  // ---- the records table ------------------------------------------------------------------------
  function columns(r) {
    var names = [];
    r.identities.forEach(function (fields) { fields.forEach(function (f) { if (names.indexOf(f) < 0) names.push(f); }); });
    r.attributes.forEach(function (a) { if (names.length < 4 && names.indexOf(a.name) < 0) names.push(a.name); });
    return names.filter(function (n) { return r.primaryKey.indexOf(n) < 0; });
  }

  function selectResource(name) {
    if (!resources[name]) return;
    state.resource = name;
    $('resource').value = name;
    Object.keys(cards).forEach(function (n) { cards[n].card.classList.toggle('selected', n === name); });
    var r = resources[name];
    var field = $('filter-field');
    field.textContent = '';
    var any = el('option', '', 'any text');
    any.value = '';
    field.appendChild(any);
    r.attributes.forEach(function (a) {
      var o = el('option', '', a.name);
      o.value = a.name;
      field.appendChild(o);
    });
    var head = $('records').tHead.rows[0];
    head.textContent = '';
    [r.primaryKey.join(', ')].concat(columns(r), ['mailbox', 'last activity', 'inactivity expiry', 'lifetime expiry', 'restarts', 'status'])
      .forEach(function (t) { head.appendChild(el('th', '', t)); });
    loadRecords();
  }

  function currentFilter() {
    var r = resources[state.resource];
    var value = $('filter').value.trim();
    if (!value) return undefined;
    var name = $('filter-field').value;
    var kinds = {};
    r.attributes.forEach(function (a) { kinds[a.name] = a.kind; });
    var one = function (n) {
      var f = {};
      f[n] = kinds[n] === 'string' ? { icontains: value } : { eq: value };
      return f;
    };
    if (name) return one(name);
    var texts = r.attributes.filter(function (a) { return a.kind === 'string'; }).map(function (a) { return one(a.name); });
    return texts.length ? { or: texts } : one(r.primaryKey[0]);
  }

  function loadRecords() {
    var name = state.resource;
    if (!name) return;
    var params = new URLSearchParams({ limit: '200' });
    var filter = currentFilter();
    if (filter) params.set('filter', JSON.stringify(filter));
    if ($('sort').value) params.set('sort', $('sort').value);
    var request = ++state.request;
    getJson(base + 'resources/' + encodeURIComponent(name) + '/records?' + params).then(function (body) {
      if (request !== state.request) return;
      $('records-error').textContent = '';
      renderRecords(name, body.records);
    }, function (error) {
      if (request !== state.request) return;
      $('records-error').textContent = error.message;
    });
  }

  function scheduleReload() {
    clearTimeout(state.reloadTimer);
    state.reloadTimer = setTimeout(loadRecords, 150);
  }

  function countdown(td, deadline) {
    td.className = 'countdown';
    if (deadline === null || deadline === undefined) td.textContent = '—';
    else td.dataset.deadline = String(deadline);
  }

  function renderRecords(name, records) {
    var r = resources[name];
    var body = $('records').tBodies[0];
    body.textContent = '';
    var cols = columns(r);
    records.forEach(function (rec) {
      var tr = document.createElement('tr');
      tr.dataset.key = JSON.stringify(rec.key);
      var state_ = rec.state || {};
      tr.appendChild(el('td', 'key', shown(rec.key)));
      cols.forEach(function (c) { tr.appendChild(el('td', '', shown(state_[c]))); });
      tr.appendChild(el('td', '', shown(rec.mailboxDepth)));
      var last = el('td', 'ago');
      if (rec.lastActivity === null || rec.lastActivity === undefined) last.textContent = '—';
      else last.dataset.at = String(rec.lastActivity);
      tr.appendChild(last);
      var inactivity = el('td');
      inactivity.dataset.field = 'inactivity';
      countdown(inactivity, rec.inactivityDeadline);
      tr.appendChild(inactivity);
      var lifetime = el('td');
      lifetime.dataset.field = 'lifetime';
      countdown(lifetime, rec.lifetimeDeadline);
      tr.appendChild(lifetime);
      tr.appendChild(el('td', '', shown(rec.restarts)));
      tr.appendChild(el('td', '', shown(rec.status)));
      if (!r.hiddenKey) tr.addEventListener('click', function () { openDetail(name, rec.key); });
      if (state.selected && state.selected.resource === name && JSON.stringify(state.selected.key) === tr.dataset.key)
        tr.classList.add('selected');
      body.appendChild(tr);
    });
    $('record-count').textContent = records.length + (records.length === 1 ? ' record' : ' records');
    tick();
  }

  // ---- a record's detail ------------------------------------------------------------------------
  function openDetail(name, key) {
    state.selected = { resource: name, key: key };
    $('detail').hidden = false;
    $('detail-title').textContent = name + ' ' + shown(key);
    $('detail-status').textContent = 'loading';
    $('keep-alive').disabled = false;
    Array.prototype.forEach.call($('records').tBodies[0].rows, function (tr) {
      tr.classList.toggle('selected', tr.dataset.key === JSON.stringify(key));
    });
    loadDetail();
  }

  function loadDetail() {
    var sel = state.selected;
    if (!sel) return;
    getJson(recordUrl(sel.resource, sel.key)).then(function (body) {
      if (state.selected === sel) renderDetail(body.record);
    }, function (error) {
      if (state.selected === sel) gone(error.message);
    });
  }

  function fact(dl, label, value, field) {
    dl.appendChild(el('dt', '', label));
    var dd = el('dd', '', value === undefined ? undefined : shown(value));
    if (field) dd.dataset.field = field;
    dl.appendChild(dd);
    return dd;
  }

  function renderDetail(rec) {
    $('detail-status').textContent = 'live';
    var dl = $('detail-facts');
    dl.textContent = '';
    fact(dl, 'status', rec.status);
    fact(dl, 'mailbox depth', rec.mailboxDepth);
    fact(dl, 'restarts', rec.restarts);
    var last = fact(dl, 'last activity', undefined, 'last-activity');
    last.className = 'ago';
    if (rec.lastActivity === null || rec.lastActivity === undefined) last.textContent = '—';
    else last.dataset.at = String(rec.lastActivity);
    countdown(fact(dl, 'inactivity expiry', undefined, 'inactivity'), rec.inactivityDeadline);
    countdown(fact(dl, 'lifetime expiry', undefined, 'lifetime'), rec.lifetimeDeadline);
    // Its alarms, each counting down to the action it runs.
    (rec.alarms || []).forEach(function (a) {
      countdown(fact(dl, 'alarm: ' + a.action, undefined, 'alarm'), a.at);
    });
    $('detail-state').textContent = JSON.stringify(rec.state, null, 2);
    tick();
  }

  function gone(text) {
    $('detail-status').textContent = text;
    $('keep-alive').disabled = true;
    Array.prototype.forEach.call($('detail-facts').querySelectorAll('.countdown'), function (e) {
      delete e.dataset.deadline;
      e.textContent = '—';
    });
  }

  $('keep-alive').addEventListener('click', function () {
    var sel = state.selected;
    if (!sel) return;
    getJson(recordUrl(sel.resource, sel.key) + '/keep-alive', { method: 'POST' }).then(function (body) {
      if (state.selected === sel) renderDetail(body.record);
      if (sel.resource === state.resource) scheduleReload();
    }, function (error) {
      if (state.selected === sel) gone(error.message);
    });
  });
  $('detail-close').addEventListener('click', function () {
    state.selected = null;
    $('detail').hidden = true;
  });

  // ---- recent events ----------------------------------------------------------------------------
  var ENDS = { destroyed: 1, expired: 1, removed: 1, moved: 1 };
  function onRecordEvent(e) {
    var li = el('li');
    li.dataset.type = e.type;
    li.dataset.resource = e.resource;
    li.appendChild(el('span', 'muted', new Date(e.at).toLocaleTimeString() + ' '));
    li.appendChild(el('span', 'type', e.type));
    var text = ' ' + e.resource + ' ' + shown(e.key);
    if (e.reason) text += ' (' + e.reason + ')';
    if (e.type === 'moved' && e.to) text += ' → ' + e.to;
    if (e.type === 'restarted') text += ' (restart ' + e.restarts + ')';
    if (e.type === 'crashed' && e.error) text += ' (' + e.error.name + ')';
    li.appendChild(document.createTextNode(text));
    var list = $('events');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 200) list.removeChild(list.lastChild);
    if (e.resource === state.resource) scheduleReload();
    // The live count follows creates and ends at once; the next snapshot sets it exactly.
    var card = cards[e.resource];
    if (card && (e.type === 'created' || ENDS[e.type])) {
      var n = Number(card.live.textContent) + (e.type === 'created' ? 1 : -1);
      card.live.textContent = String(Math.max(0, n));
    }
    var sel = state.selected;
    if (sel && sel.resource === e.resource && JSON.stringify(sel.key) === JSON.stringify(e.key)) {
      if (ENDS[e.type]) gone(e.type + (e.reason ? ' (' + e.reason + ')' : ''));
      else loadDetail();
    }
  }

  // ---- the clock: countdowns and "ago" tick here ------------------------------------------------
  function tick() {
    var now = serverNow();
    Array.prototype.forEach.call(document.querySelectorAll('.countdown[data-deadline]'), function (e) {
      var left = Number(e.dataset.deadline) - now;
      e.textContent = duration(left);
      e.classList.toggle('soon', left < 5000);
    });
    Array.prototype.forEach.call(document.querySelectorAll('.ago[data-at]'), function (e) {
      e.textContent = duration(now - Number(e.dataset.at)) + ' ago';
    });
  }
  setInterval(tick, 250);
  setInterval(function () { if (!document.hidden) loadRecords(); }, 5000);

  // ---- wiring -----------------------------------------------------------------------------------
  meta.resources.forEach(function (r) {
    var o = el('option', '', r.name);
    o.value = r.name;
    $('resource').appendChild(o);
  });
  $('resource').addEventListener('change', function (e) { selectResource(e.target.value); });
  var filterTimer = 0;
  $('filter').addEventListener('input', function () {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(loadRecords, 200);
  });
  $('filter-field').addEventListener('change', loadRecords);
  $('sort').addEventListener('change', loadRecords);
  if (state.resource) selectResource(state.resource);

  var source = new EventSource(base + 'stream');
  var connection = $('connection');
  source.onopen = function () { connection.dataset.state = 'live'; connection.textContent = 'live'; };
  source.onerror = function () { connection.dataset.state = 'lost'; connection.textContent = 'reconnecting'; };
  source.addEventListener('snapshot', function (m) { onSnapshot(JSON.parse(m.data)); });
  source.addEventListener('record', function (m) { onRecordEvent(JSON.parse(m.data)); });
  source.addEventListener('dropped', function (m) {
    var li = el('li', 'muted', JSON.parse(m.data).count + ' events missed');
    $('events').insertBefore(li, $('events').firstChild);
    scheduleReload();
  });
})();
`;
