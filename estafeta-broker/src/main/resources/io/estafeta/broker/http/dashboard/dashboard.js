'use strict';
/*
 * The Estafeta dashboard: reads the admin API of the broker that serves it (same origin, the browser's
 * HTTP Basic credentials). Live figures come from the stats stream (/api/stats/stream, Server-Sent Events),
 * the live view from /api/watch; tables are polled. Every value from the broker is put into the page as
 * text, never as HTML.
 */
(() => {
  const CHART_SECONDS = 300;
  const CLIENTS_REFRESH_MILLIS = 3000;
  const RETAINED_REFRESH_MILLIS = 10000;
  const BRIDGES_REFRESH_MILLIS = 3000;
  const WATCH_LOG_LIMIT = 200;

  const $ = id => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (key === 'class') {
        node.className = value;
      } else if (key.startsWith('on')) {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value);
      }
    });
    children.forEach(child => node.append(child instanceof Node ? child : document.createTextNode(String(child ?? ''))));
    return node;
  }

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ headers: { 'Accept': 'application/json' } }, options));
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || `HTTP ${response.status}`);
    }
    return body;
  }

  function toast(message) {
    const box = $('toast');
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  const number = new Intl.NumberFormat();
  const fmt = v => number.format(v);
  const rate = v => v >= 100 ? fmt(Math.round(v)) : v.toFixed(1);

  function duration(seconds) {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor(seconds % 86400 / 3600);
    const m = Math.floor(seconds % 3600 / 60);
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${m}m`;
    if (m > 0) return `${m}m ${seconds % 60}s`;
    return `${seconds}s`;
  }

  function since(millis) {
    if (!millis) return '–';
    return duration(Math.max(0, Math.floor((Date.now() - millis) / 1000))) + ' ago';
  }

  // ------------------------------------------------------------------ broker info

  async function loadBroker() {
    try {
      const info = await api('api/broker');
      $('broker-version').textContent = `version ${info.version}`;
      $('broker-listeners').textContent = info.listeners.map(l => `${l.protocol}://${l.address}:${l.port}`).join('  ');
    } catch (e) {
      toast(`Broker info: ${e.message}`);
    }
  }

  // ------------------------------------------------------------------ live stats

  const chart = new LineChart($('rate-chart'), [{ name: 'in', color: '#1f6feb' }, { name: 'out', color: '#12a37f' }],
    CHART_SECONDS);
  let previous = null;

  function onStats(stats) {
    $('broker-uptime').textContent = `up ${duration(stats.uptimeSeconds)}`;
    $('kpi-connected').textContent = fmt(stats.clientsConnected);
    $('kpi-sessions').textContent = fmt(stats.sessions);
    $('kpi-subscriptions').textContent = fmt(stats.subscriptions);
    $('kpi-retained').textContent = fmt(stats.retainedMessages);
    $('kpi-queued').textContent = `${fmt(stats.queuedMessages)} / ${fmt(stats.inflightMessages)}`;
    $('kpi-dropped').textContent = fmt(stats.messagesDropped);
    if (previous && stats.time > previous.time) {
      const seconds = (stats.time - previous.time) / 1000;
      const inRate = Math.max(0, stats.messagesReceived - previous.messagesReceived) / seconds;
      const outRate = Math.max(0, stats.messagesSent - previous.messagesSent) / seconds;
      $('kpi-rate-in').textContent = rate(inRate);
      $('kpi-rate-out').textContent = rate(outRate);
      chart.add(stats.time, [inRate, outRate]);
    }
    previous = stats;
    renderTopTopics(stats.topTopics);
  }

  function renderTopTopics(top) {
    const list = $('top-topics');
    list.replaceChildren();
    $('topics-window').textContent = top.active ? `since ${new Date(top.since).toLocaleTimeString()}` : '';
    if (top.topics.length === 0) {
      list.append(el('li', { class: 'empty' }, 'No messages yet.'));
      return;
    }
    const most = top.topics[0].messages;
    top.topics.forEach(t => {
      const bar = el('span', { class: 'bar' });
      bar.style.width = `${Math.max(2, (t.messages / most) * 100)}%`;
      list.append(el('li', {}, el('span', { class: 'topic', title: t.topic }, t.topic),
        el('span', { class: 'n' }, fmt(t.messages)), bar));
    });
  }

  function connectStats() {
    const stream = new EventSource('api/stats/stream');
    stream.addEventListener('open', () => {
      $('live-status').textContent = 'live';
      $('live-status').className = 'status status-on';
    });
    stream.addEventListener('stats', event => onStats(JSON.parse(event.data)));
    stream.addEventListener('error', () => {
      $('live-status').textContent = 'reconnecting…';
      $('live-status').className = 'status status-off';
    });
  }

  // ------------------------------------------------------------------ clients

  let clients = [];

  async function loadClients() {
    try {
      clients = (await api('api/clients')).clients;
      renderClients();
    } catch (e) {
      $('clients-body').replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 10 }, e.message)));
    }
  }

  function renderClients() {
    const search = $('client-search').value.trim().toLowerCase();
    const shown = clients.filter(c => !search || [c.clientId, c.username, c.remoteAddress]
      .some(v => v && v.toLowerCase().includes(search)));
    $('clients-count').textContent = search ? `${shown.length} of ${clients.length}` : String(clients.length);
    const body = $('clients-body');
    body.replaceChildren();
    if (shown.length === 0) {
      body.append(el('tr', { class: 'empty' }, el('td', { colspan: 10 }, clients.length ? 'No client matches.' : 'No clients.')));
      return;
    }
    shown.forEach(c => {
      const action = c.connected
        ? el('button', { class: 'btn btn-danger', 'data-client': c.clientId, onclick: () => disconnect(c.clientId) }, 'Disconnect')
        : '';
      body.append(el('tr', { 'data-client-row': c.clientId },
        el('td', { class: 'mono' }, c.clientId),
        el('td', {}, el('span', { class: c.connected ? 'pill pill-on' : 'pill pill-off' }, c.connected ? 'connected' : 'offline')),
        el('td', { class: 'mono' }, c.remoteAddress || '–'),
        el('td', {}, c.protocolVersion || '–'),
        el('td', {}, c.username || '–'),
        el('td', { class: 'num', title: c.subscriptions.map(s => `${s.topicFilter} (QoS ${s.qos})`).join('\n') }, c.subscriptions.length),
        el('td', { class: 'num' }, fmt(c.queuedMessages)),
        el('td', { class: 'num' }, fmt(c.inflightMessages)),
        el('td', {}, since(c.since)),
        el('td', { class: 'num' }, action)));
    });
  }

  // ------------------------------------------------------------------ bridges

  // "waiting (lazy, 7 messages)": a lazy bridge is disconnected by design until enough messages wait.
  function bridgeState(b) {
    if (b.startType === 'automatic') {
      return b.state;
    }
    const waiting = b.state === 'waiting' ? `, ${fmt(b.waitingMessages)} messages` : '';
    return `${b.state} (${b.startType}${waiting})`;
  }

  async function loadBridges() {
    const body = $('bridges-body');
    try {
      const bridges = await api('api/bridges');
      $('bridges-count').textContent = String(bridges.length);
      if (bridges.length === 0) {
        body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 8 }, 'No bridges configured.')));
        return;
      }
      body.replaceChildren(...bridges.map(b => el('tr', { 'data-bridge-row': b.name, 'data-state': b.state },
        el('td', { class: 'mono' }, b.name),
        el('td', {}, el('span', { class: b.state === 'connected' ? 'pill pill-on' : 'pill pill-off' }, bridgeState(b))),
        el('td', {}, since(b.since)),
        el('td', { class: 'mono' }, b.address || '–'),
        el('td', { class: 'mono' }, `${b.remoteClientId} / ${b.localClientId}`),
        el('td', { class: 'num' }, fmt(b.messagesOut)),
        el('td', { class: 'num' }, fmt(b.messagesIn)),
        el('td', {}, b.lastError || '–'))));
    } catch (e) {
      body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 8 }, e.message)));
    }
  }

  async function disconnect(clientId) {
    if (!confirm(`Disconnect client "${clientId}"? Its will message, if any, is published.`)) {
      return;
    }
    try {
      await api(`api/clients/${encodeURIComponent(clientId)}`, { method: 'DELETE' });
      toast(`Disconnected ${clientId}`);
      loadClients();
    } catch (e) {
      toast(`Disconnect failed: ${e.message}`);
    }
  }

  // ------------------------------------------------------------------ retained messages

  async function loadRetained() {
    const filter = $('retained-filter').value.trim() || '#';
    const body = $('retained-body');
    try {
      const result = await api(`api/retained?filter=${encodeURIComponent(filter)}&limit=200`);
      $('retained-count').textContent = result.truncated ? `200 of ${fmt(result.total)}` : String(result.total);
      body.replaceChildren();
      if (result.messages.length === 0) {
        body.append(el('tr', { class: 'empty' }, el('td', { colspan: 5 }, 'No retained messages match.')));
        return;
      }
      result.messages.forEach(m => {
        const payload = m.encoding === 'base64' ? `(binary) ${m.payload}` : m.payload;
        body.append(el('tr', {},
          el('td', { class: 'mono' }, m.topic),
          el('td', { class: 'payload', title: payload }, payload),
          el('td', { class: 'num' }, m.qos),
          el('td', { class: 'num' }, fmt(m.bytes)),
          el('td', { class: 'num' }, el('button', { class: 'btn btn-danger', onclick: () => deleteRetained(m.topic) }, 'Delete'))));
      });
    } catch (e) {
      body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 5 }, e.message)));
    }
  }

  async function deleteRetained(topic) {
    if (!confirm(`Delete the retained message on "${topic}"?`)) {
      return;
    }
    try {
      await api(`api/retained?topic=${encodeURIComponent(topic)}`, { method: 'DELETE' });
      toast(`Deleted retained message on ${topic}`);
      loadRetained();
    } catch (e) {
      toast(`Delete failed: ${e.message}`);
    }
  }

  // ------------------------------------------------------------------ publish

  async function publish(event) {
    event.preventDefault();
    const result = $('publish-result');
    const message = {
      topic: $('publish-topic').value,
      payload: $('publish-payload').value,
      qos: Number($('publish-qos').value),
      retain: $('publish-retain').checked,
    };
    try {
      const answer = await api('api/publish', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify(message),
      });
      result.className = 'result ok';
      result.textContent = `Published to ${answer.topic}: delivered to ${answer.deliveredTo} subscriber(s).`;
      if (message.retain) {
        loadRetained();
      }
    } catch (e) {
      result.className = 'result error';
      result.textContent = `Not published: ${e.message}`;
    }
  }

  // ------------------------------------------------------------------ watch live

  let watching = null;

  function toggleWatch(event) {
    event.preventDefault();
    if (watching) {
      stopWatch();
      return;
    }
    const filter = $('watch-filter').value.trim();
    if (!filter) {
      return;
    }
    const stream = new EventSource(`api/watch?filter=${encodeURIComponent(filter)}`);
    watching = stream;
    $('watch-button').textContent = 'Stop';
    $('watch-status').textContent = `Connecting to ${filter}…`;
    stream.addEventListener('watching', () => {
      $('watch-status').textContent = `Watching ${filter}`;
      $('watch-status').dataset.state = 'watching';
    });
    stream.addEventListener('message', event => addWatched(JSON.parse(event.data)));
    stream.addEventListener('error', () => {
      if (stream.readyState === EventSource.CLOSED) {
        $('watch-status').textContent = `Stopped: the broker refused ${filter}`;
        stopWatch(true);
      } else {
        $('watch-status').textContent = `Reconnecting to ${filter}…`;
      }
    });
  }

  function stopWatch(keepStatus) {
    if (watching) {
      watching.close();
      watching = null;
    }
    $('watch-button').textContent = 'Start';
    delete $('watch-status').dataset.state;
    if (!keepStatus) {
      $('watch-status').textContent = 'Not watching.';
    }
  }

  function addWatched(m) {
    const log = $('watch-log');
    const payload = m.encoding === 'base64' ? `(binary) ${m.payload}` : m.payload;
    const meta = `QoS ${m.qos}${m.retain ? ' R' : ''}` + (m.droppedBefore ? ` +${m.droppedBefore} dropped` : '');
    log.prepend(el('li', { class: 'watched' },
      el('span', { class: 'time' }, new Date(m.time).toLocaleTimeString()),
      el('span', { class: 'topic', title: m.topic }, m.topic),
      el('span', { class: 'meta' }, meta),
      el('span', { class: 'payload' }, payload)));
    while (log.children.length > WATCH_LOG_LIMIT) {
      log.lastChild.remove();
    }
  }

  // ------------------------------------------------------------------ start

  $('client-search').addEventListener('input', renderClients);
  $('retained-form').addEventListener('submit', event => { event.preventDefault(); loadRetained(); });
  $('publish-form').addEventListener('submit', publish);
  $('watch-form').addEventListener('submit', toggleWatch);
  loadBroker();
  connectStats();
  loadClients();
  loadRetained();
  loadBridges();
  setInterval(loadClients, CLIENTS_REFRESH_MILLIS);
  setInterval(loadBridges, BRIDGES_REFRESH_MILLIS);
  setInterval(loadRetained, RETAINED_REFRESH_MILLIS);
})();
