/**
 * The browser side of the dev phone, as plain JavaScript the page inlines: it follows `/events` (server-sent
 * events), renders phones, calls and the timeline with `textContent` only, speaks prompts with `speechSynthesis`
 * where the browser has it, and posts the buttons' actions to `/api`.
 */
export const pageScript = String.raw`
const state = { phones: new Map(), calls: new Map() };
const $ = (selector, root = document) => root.querySelector(selector);
const el = (tag, props = {}, children = []) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
};

async function post(path, body = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ error: response.statusText }));
    showError(problem.error || response.statusText);
  }
  return response;
}

function showError(message) {
  const box = $('#error');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, 5000);
}

function speak(text) {
  if (!$('#speak').checked || !('speechSynthesis' in window) || /^https?:/.test(text)) return;
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function phoneCard(phone) {
  const act = (action, body) => () => post('/api/phones/' + phone.id + '/' + action, body);
  const sayInput = el('input', { type: 'text', placeholder: 'Say a phrase', className: 'say-input' });
  const card = el('section', { className: 'phone', dataset: { phone: phone.id } }, [
    el('header', {}, [
      el('strong', { className: 'name', textContent: phone.name || 'Phone' }),
      el('span', { className: 'number', textContent: ' ' + phone.number }),
      el('span', { className: 'status', dataset: { testid: 'status' } }),
    ]),
    el('div', { className: 'controls' }, [
      el('button', { textContent: 'Call the bot', className: 'dial', onclick: act('dial') }),
      el('button', { textContent: 'Answer', className: 'answer', onclick: act('answer') }),
      el('button', { textContent: 'Decline', className: 'decline', onclick: act('decline') }),
      el('button', { textContent: 'Hold', className: 'hold', onclick: act('hold') }),
      el('button', { textContent: 'Resume', className: 'unhold', onclick: act('unhold') }),
      el('button', { textContent: 'Hang up', className: 'hangup', onclick: act('hangup') }),
      el('button', { textContent: 'Add to the bot\u2019s call', className: 'invite', onclick: act('invite') }),
    ]),
    el('div', { className: 'keypad' }, keys.map((key) =>
      el('button', { textContent: key, dataset: { key }, onclick: act('digits', { digits: key }) }))),
    el('form', { className: 'say', onsubmit: (event) => {
      event.preventDefault();
      const phrase = sayInput.value.trim();
      if (phrase) post('/api/phones/' + phone.id + '/say', { phrase }).then(() => { sayInput.value = ''; });
    } }, [sayInput, el('button', { textContent: 'Say', type: 'submit' })]),
    el('p', { className: 'where', hidden: true }),
    el('h3', { textContent: 'Heard' }),
    el('ol', { className: 'prompts' }),
    el('div', { className: 'tones' }),
  ]);
  return card;
}

function renderPhone(phone, spoken = false) {
  state.phones.set(phone.id, phone);
  let card = $('[data-phone="' + phone.id + '"]');
  if (!card) {
    card = phoneCard(phone);
    $('#phones').append(card);
    for (const text of phone.heard) addPrompt(phone.id, text, spoken);
  }
  const inCall = phone.status === 'inCall';
  const status = $('.status', card);
  status.textContent = phone.onHold ? 'on hold' : inCall ? (phone.where ? 'transferred' : 'in call') : phone.status;
  card.dataset.status = phone.status;
  card.dataset.hold = phone.onHold ? 'true' : 'false';
  $('.dial', card).disabled = phone.status !== 'idle';
  $('.answer', card).disabled = $('.decline', card).disabled = phone.status !== 'ringing';
  $('.hold', card).disabled = !inCall || phone.onHold;
  $('.unhold', card).disabled = !inCall || !phone.onHold;
  $('.hangup', card).disabled = phone.status === 'idle';
  $('.invite', card).disabled = phone.status !== 'idle';
  for (const key of card.querySelectorAll('.keypad button, .say button, .say input')) {
    key.disabled = !inCall || phone.onHold;
  }
  const where = $('.where', card);
  where.textContent = phone.onHold ? 'On hold: press Resume to talk again.' : (phone.where || '');
  where.hidden = !where.textContent;
  $('.tones', card).textContent = phone.receivedTones ? 'Tones from the bot: ' + phone.receivedTones : '';
}

function addPrompt(phoneId, text, spoken = true) {
  const card = $('[data-phone="' + phoneId + '"]');
  if (!card) return;
  const list = $('.prompts', card);
  list.append(el('li', { textContent: text }));
  list.scrollTop = list.scrollHeight;
  if (spoken) speak(text);
}

function renderCall(call) {
  state.calls.set(call.id, call);
  let row = $('[data-call="' + CSS.escape(call.id) + '"]');
  if (!row) {
    row = el('li', { dataset: { call: call.id } }, [
      el('div', {}, [el('code', { textContent: call.id }), el('span', { className: 'call-state' })]),
      el('ul', { className: 'roster' }),
    ]);
    $('#calls').prepend(row);
  }
  $('.call-state', row).textContent = ' ' + call.direction + ' \u00b7 ' + call.state;
  row.dataset.state = call.state;
  const roster = $('.roster', row);
  roster.replaceChildren(...call.participants.map((p) =>
    el('li', { textContent: p.name + (p.isOnHold ? ' (on hold)' : '') + (p.isMuted ? ' (muted)' : ''),
      title: p.rawId })));
}

function addEvent(entry) {
  const time = new Date(entry.at);
  const stamp = Number.isNaN(time.getTime()) ? entry.at : time.toLocaleTimeString();
  const row = el('li', { dataset: { type: entry.type } }, [
    el('time', { textContent: stamp }),
    el('code', { className: 'type', textContent: entry.type }),
    el('span', { className: 'summary', textContent: entry.summary }),
    el('small', { className: 'call', textContent: entry.callId }),
  ]);
  const list = $('#timeline');
  list.prepend(row);
  while (list.children.length > 500) list.lastChild.remove();
}

function addBotError(error) {
  const box = $('#bot-errors');
  const time = new Date(error.at);
  $('ol', box).prepend(el('li', {}, [
    el('time', { textContent: Number.isNaN(time.getTime()) ? error.at : time.toLocaleTimeString() }),
    el('pre', { textContent: error.message }),
  ]));
  box.hidden = false;
}

function apply(message) {
  switch (message.kind) {
    case 'snapshot':
      $('#description').textContent = message.snapshot.description;
      $('#phones').replaceChildren();
      $('#calls').replaceChildren();
      $('#timeline').replaceChildren();
      $('#bot-errors ol').replaceChildren();
      $('#bot-errors').hidden = true;
      for (const error of message.snapshot.botErrors || []) addBotError(error);
      for (const phone of message.snapshot.phones) renderPhone(phone, false);
      for (const call of message.snapshot.calls) renderCall(call);
      for (const entry of message.snapshot.timeline) addEvent(entry);
      break;
    case 'phone': renderPhone(message.phone, true); break;
    case 'prompt': addPrompt(message.phoneId, message.text); break;
    case 'call': renderCall(message.call); break;
    case 'event': addEvent(message.entry); break;
    case 'botError': addBotError(message.error); break;
    case 'notice': showError(message.text); break;
  }
}

function connect() {
  const source = new EventSource('/events');
  source.onopen = () => { document.body.dataset.connected = 'true'; };
  source.onmessage = (event) => apply(JSON.parse(event.data));
  source.onerror = () => { document.body.dataset.connected = 'false'; };
}

$('#add-phone').addEventListener('submit', (event) => {
  event.preventDefault();
  const number = $('#new-number').value.trim();
  const name = $('#new-name').value.trim();
  post('/api/phones', { number, name }).then((response) => {
    if (response.ok) { $('#new-number').value = ''; $('#new-name').value = ''; }
  });
});
connect();
`;
