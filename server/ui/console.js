// cognitod console: polls the state every second, draws pools → users → devices, filters them as
// you type and forgets a device after a confirm step. All text goes in through textContent.
'use strict';

(() => {
  const api = '/_cognitod/ui/api';
  // With --control-token the page is opened as /_cognitod/ui?token=...; the API takes it as a
  // header, never from the URL.
  const token = new URLSearchParams(window.location.search).get('token');
  const headers = token ? { 'X-Cognitod-Control-Token': token } : {};

  const search = document.getElementById('search');
  const refreshed = document.getElementById('refreshed');
  const errorBox = document.getElementById('error');
  const poolsBox = document.getElementById('pools');

  let version = 0;
  let pools = [];
  let asking = null; // the DeviceKey whose Forget waits for its confirm
  let timer = null;
  let busy = false; // a refresh is in flight
  let again = false; // and another was asked for meanwhile

  // el('td', {className: 'key'}, 'text', childNode): children are text or nodes, never HTML.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function when(seconds) {
    if (seconds === null || seconds === undefined) {
      return 'never';
    }
    return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function matches(term, ...values) {
    return values.some((v) => String(v).toLowerCase().includes(term));
  }

  // What the search keeps: a matching pool keeps all of it, a matching user all its devices,
  // otherwise only the matching devices (with their user and pool around them).
  function filtered() {
    const term = search.value.trim().toLowerCase();
    if (!term) {
      return pools;
    }
    const out = [];
    for (const pool of pools) {
      if (matches(term, pool.Name, pool.Id)) {
        out.push(pool);
        continue;
      }
      const users = [];
      for (const user of pool.Users) {
        if (matches(term, user.Username)) {
          users.push(user);
          continue;
        }
        const devices = user.Devices.filter((d) => matches(term, d.DeviceName, d.DeviceKey));
        if (devices.length) {
          users.push({ ...user, Devices: devices });
        }
      }
      if (users.length) {
        out.push({ ...pool, Users: users });
      }
    }
    return out;
  }

  async function forget(pool, user, device) {
    showError('');
    try {
      const res = await fetch(`${api}/forget-device`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          UserPoolId: pool.Id, Username: user.Username, DeviceKey: device.DeviceKey,
        }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(`${body.__type ?? res.status}: ${body.message ?? body.Message ?? res.statusText}`);
      }
    } catch (e) {
      showError(`Could not forget ${device.DeviceName || device.DeviceKey}: ${e.message}`);
    }
    asking = null;
    refresh();
  }

  function actionCell(pool, user, device) {
    const cell = el('td', { className: 'action' });
    if (asking === device.DeviceKey) {
      const yes = el('button', { type: 'button', className: 'confirm' }, 'Confirm forget');
      const no = el('button', { type: 'button' }, 'Cancel');
      yes.addEventListener('click', () => {
        yes.disabled = true;
        no.disabled = true;
        forget(pool, user, device);
      });
      no.addEventListener('click', () => { asking = null; render(); });
      cell.append(el('span', { className: 'ask' }, 'Forget this device?'), yes, ' ', no);
    } else {
      const button = el('button', { type: 'button', className: 'forget' }, 'Forget');
      button.addEventListener('click', () => { asking = device.DeviceKey; render(); });
      cell.append(button);
    }
    return cell;
  }

  function poolSection(pool) {
    const head = el('tr', {},
      ...['User / device', 'Device key', 'Remembered', 'Last sign-in', 'Last IP', '']
        .map((title) => el('th', { scope: 'col' }, title)));
    const body = el('tbody');
    for (const user of pool.Users) {
      const groups = user.Groups.length ? ` · groups: ${user.Groups.join(', ')}` : '';
      const state = `${user.UserStatus}${user.Enabled ? '' : ', disabled'}${groups}`;
      const row = el('tr', { className: 'user' },
        el('td', { colSpan: 2 }, user.Username), el('td', { className: 'status', colSpan: 4 }, state));
      row.dataset.username = user.Username;
      body.append(row);
      if (!user.Devices.length) {
        body.append(el('tr', { className: 'none' }, el('td', { colSpan: 6 }, 'no devices')));
      }
      for (const device of user.Devices) {
        const tr = el('tr', { className: 'device' },
          el('td', {}, device.DeviceName || '(unnamed)'),
          el('td', { className: 'key' }, device.DeviceKey),
          el('td', {}, device.DeviceRememberedStatus.replace('_', ' ')),
          el('td', {}, when(device.DeviceLastAuthenticatedDate)),
          el('td', {}, device.LastIpUsed || '—'),
          actionCell(pool, user, device));
        tr.dataset.deviceKey = device.DeviceKey;
        body.append(tr);
      }
    }
    const outbox = pool.Messages.length ? el('details', { className: 'outbox' },
      el('summary', {}, `Outbox: ${pool.Messages.length === 20 ? 'the newest 20' : pool.Messages.length} message${pool.Messages.length === 1 ? '' : 's'}`),
      el('table', {},
        el('thead', {}, el('tr', {}, ...['Sent', 'User', 'To', 'Purpose', 'Code', 'Message']
          .map((title) => el('th', { scope: 'col' }, title)))),
        el('tbody', {}, ...pool.Messages.map((m) => el('tr', { className: 'message' },
          el('td', {}, when(m.CreatedDate)),
          el('td', {}, m.Username),
          el('td', {}, `${m.DeliveryMedium} ${m.Destination}`),
          el('td', {}, m.Purpose),
          el('td', { className: 'key' }, m.Code),
          el('td', {}, m.Subject ? `${m.Subject}: ${m.Message}` : m.Message)))))) : '';
    const groupNames = pool.Groups.map((g) =>
      (g.Precedence === null ? g.GroupName : `${g.GroupName} (${g.Precedence})`));
    const section = el('section', { className: 'pool' },
      el('h2', {}, pool.Name, el('code', {}, pool.Id)),
      pool.Groups.length ? el('p', { className: 'groups' }, `Groups: ${groupNames.join(', ')}`) : '',
      pool.Users.length ? el('table', {}, el('thead', {}, head), body)
                        : el('p', { className: 'empty' }, 'No users.'),
      outbox);
    section.dataset.poolId = pool.Id;
    return section;
  }

  function render() {
    const shown = filtered();
    if (!shown.length) {
      poolsBox.replaceChildren(el('p', { className: 'empty' },
        pools.length ? 'Nothing matches the search.' : 'No user pools yet.'));
      return;
    }
    poolsBox.replaceChildren(...shown.map(poolSection));
  }

  // Asks for the state since the version on screen; redraws only when it changed.
  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    clearTimeout(timer);
    try {
      const res = await fetch(`${api}/state?since=${version}`, { headers, cache: 'no-store' });
      const body = await res.json();
      if (!res.ok) {
        throw new Error(`${body.__type ?? res.status}: ${body.message ?? res.statusText}`);
      }
      if (body.Changed) {
        version = body.Version;
        pools = body.UserPools;
        render();
      }
      refreshed.textContent = `Refreshed ${new Date().toLocaleTimeString()} (version ${version})`;
      refreshed.classList.remove('stale');
    } catch (e) {
      refreshed.textContent = `Refresh failed: ${e.message}`;
      refreshed.classList.add('stale');
    }
    busy = false;
    if (again) {
      again = false;
      refresh();
    } else {
      timer = setTimeout(refresh, 1000);
    }
  }

  search.addEventListener('input', render);
  refresh();
})();
