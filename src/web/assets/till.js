/* global document, window, navigator, indexedDB, FormData, crypto */
// The till: sends each purchase at once when the network is there, queues it on this device (IndexedDB, with its
// Idempotency-Key and capture time) when it is not, and sends the queue through the batch route when it comes back.
// Without this file the form still posts and the page answers; offline capture needs it.
const form = document.getElementById('till-form');
const base = form && form.dataset.base;
const csrf = form && form.dataset.csrf;
const CEILING = form ? cents(form.dataset.offlineCeiling) : 0;
const MAX_QUEUED = form ? Number(form.dataset.offlineMax) : 0;
const $ = (id) => document.getElementById(id);

function cents(text) {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text || '').trim().replace(',', '.'));
  return m ? Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0')) : NaN;
}
const euros = (c) => (c / 100).toLocaleString('fr-FR', { style: 'currency', currency: 'EUR' });
const eurosOf = (s) => euros(cents(s));
// The same normalisation as the server's form reader, so a purchase sent twice (once live, once queued) has one body.
function decimal(value) {
  const v = String(value || '').trim().replace(',', '.');
  if (!v) return undefined;
  return /^\d+\.\d$/.test(v) ? `${v}0` : v;
}
const newKey = () => `till-${crypto.randomUUID()}`;

// ---- the queue (IndexedDB) ----
let dbPromise;
function db() {
  dbPromise = dbPromise || new Promise((resolve, reject) => {
    const open = indexedDB.open(`caisse-till-${base}`, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('queue', { keyPath: 'idempotencyKey' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  return dbPromise;
}
async function store(mode, work) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction('queue', mode);
    const result = work(tx.objectStore('queue'));
    tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}
const queued = () => store('readonly', (s) => s.getAll());
const enqueue = (item) => store('readwrite', (s) => s.add(item));
const dequeue = (keys) => store('readwrite', (s) => keys.forEach((k) => s.delete(k)));

// ---- what the cashier sees ----
function show(kind, title, detail, balance) {
  const box = $('till-result');
  box.className = `till-result till-${kind}`;
  box.replaceChildren();
  const add = (text, cls) => {
    const p = document.createElement('p');
    if (cls) p.className = cls;
    p.textContent = text;
    box.append(p);
  };
  add(title, 'till-result-title');
  if (detail) add(detail);
  if (balance !== undefined) add(`Solde restant : ${eurosOf(balance)}`, 'till-balance');
}
async function refreshQueue() {
  const items = await queued();
  $('till-queue').hidden = items.length === 0 && $('till-sync-results').children.length === 0;
  $('till-queue-count').textContent = items.length ? `${items.length} achat(s) en attente d’envoi.` : 'Aucun achat en attente.';
  return items;
}
function network() {
  const p = $('till-network');
  p.hidden = navigator.onLine;
  p.textContent = navigator.onLine ? '' : 'Hors ligne : les achats sont gardés sur cet appareil et envoyés au retour du réseau.';
}
function resetForm() {
  for (const input of form.querySelectorAll('input:not([type=hidden])')) input.value = '';
  form.elements.idempotencyKey.value = newKey();
}

// ---- one purchase ----
function purchaseOf(data) {
  const card = String(data.get('card') || '').replace(/[\s-]/g, '') || undefined;
  const qr = String(data.get('qr') || '').trim() || undefined;
  const pin = String(data.get('pin') || '').trim() || undefined;
  const lines = [];
  for (const [name, value] of [...data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const amount = name.startsWith('cat.') ? decimal(value) : undefined;
    if (amount) lines.push({ category: name.slice(4), amount });
  }
  const p = qr ? { qr } : { card };
  if (pin) p.pin = pin;
  if (lines.length) p.lines = lines;
  else p.amount = decimal(data.get('amount'));
  return p;
}
const totalOf = (p) => (p.lines ? p.lines.reduce((s, l) => s + cents(l.amount), 0) : cents(p.amount));

async function captureOffline(key, p) {
  if (!p.card) return show('refused', 'Hors ligne : refusé', 'Sans réseau, seul le numéro de carte est accepté (un QR code aurait expiré à l’envoi).');
  const total = totalOf(p);
  if (!(total > 0)) return show('refused', 'Hors ligne : refusé', 'Indiquez un montant.');
  const items = await queued();
  if (items.length >= MAX_QUEUED) return show('refused', 'Hors ligne : refusé', `Déjà ${items.length} achats en attente : attendez le retour du réseau.`);
  const already = items.filter((i) => i.card === p.card).reduce((s, i) => s + totalOf(i), 0);
  if (already + total > CEILING) {
    return show('refused', 'Hors ligne : refusé', `Hors ligne, une carte ne peut pas dépasser ${euros(CEILING)} d’achats en attente (déjà ${euros(already)}).`);
  }
  await enqueue({ idempotencyKey: key, capturedAt: new Date().toISOString(), ...p });
  show('queued', 'Enregistré hors ligne', `${euros(total)} sur la carte se terminant par ${p.card.slice(-4)} : envoyé et vérifié au retour du réseau.`);
  resetForm();
  await refreshQueue();
}

async function submit(event) {
  event.preventDefault();
  const data = new FormData(form);
  const key = String(data.get('idempotencyKey'));
  const p = purchaseOf(data);
  if (!navigator.onLine) return captureOffline(key, p);
  let res;
  try {
    res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(data), headers: { Accept: 'application/json', 'X-CSRF-Token': csrf } });
  } catch {
    return captureOffline(key, p);
  }
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 && !body.title) return show('refused', 'Caisse déconnectée', 'La session de la caisse a expiré : appairez-la à nouveau avec la clé du terminal.');
  show(body.ok ? 'ok' : 'refused', body.title || 'Paiement refusé', body.detail || '', body.balanceAfter);
  if (body.ok || !body.errors) resetForm();
  else form.elements.idempotencyKey.value = newKey();
}

// ---- sending the queue ----
let syncing = false;
async function sync() {
  if (syncing || !navigator.onLine) return;
  syncing = true;
  try {
    const items = await queued();
    if (items.length === 0) return;
    let res;
    try {
      res = await fetch(`${base}/lot`, { method: 'POST', body: JSON.stringify({ purchases: items }), headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf } });
    } catch {
      return;
    }
    if (res.status === 401 || res.status === 403) return show('refused', 'Caisse déconnectée', 'La file ne peut pas partir : appairez la caisse à nouveau (rien n’est perdu).');
    if (!res.ok) return show('refused', 'Envoi refusé', 'La file d’attente n’a pas pu être envoyée ; elle reste sur l’appareil.');
    const result = await res.json();
    const list = $('till-sync-results');
    const byKey = new Map(items.map((i) => [i.idempotencyKey, i]));
    for (const r of result.results) {
      const item = byKey.get(r.idempotencyKey);
      const li = document.createElement('li');
      const what = `${euros(totalOf(item))}, carte …${item.card.slice(-4)}, saisi à ${new Date(item.capturedAt).toLocaleTimeString('fr-FR')}`;
      li.textContent = r.ok ? `✓ Accepté — ${what} — solde restant ${eurosOf(r.balanceAfter)}` : `✗ Refusé — ${what} — ${r.detail}`;
      li.className = r.ok ? 'sync-ok' : 'sync-refused';
      list.append(li);
    }
    // Accepted, already there, or refused for good: none of them is sent again.
    await dequeue(result.results.map((r) => r.idempotencyKey));
    const accepted = result.accepted + result.duplicates;
    show(result.refused ? 'refused' : 'ok', 'File d’attente envoyée', `${accepted} accepté(s), ${result.refused} refusé(s) : le détail est sous « Hors ligne ».`);
  } finally {
    syncing = false;
    await refreshQueue();
  }
}

// ---- PIN pad and camera ----
function pinPad() {
  const pad = $('till-pinpad');
  const pin = form.elements.pin;
  pad.hidden = false;
  pad.addEventListener('click', (e) => {
    const digit = e.target.closest('button') && e.target.closest('button').dataset.digit;
    if (!digit) return;
    pin.value = digit === 'back' ? pin.value.slice(0, -1) : (pin.value + digit).slice(0, 4);
  });
}
function camera() {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  const scan = $('till-scan');
  const video = $('till-video');
  let stream;
  let timer;
  const stop = () => {
    clearInterval(timer);
    if (stream) stream.getTracks().forEach((t) => t.stop());
    $('till-camera').hidden = true;
  };
  scan.hidden = false;
  scan.addEventListener('click', async () => {
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    $('till-camera').hidden = false;
    await video.play();
    timer = setInterval(async () => {
      const [code] = await detector.detect(video).catch(() => []);
      if (!code) return;
      form.elements.qr.value = code.rawValue;
      form.elements.card.value = '';
      stop();
    }, 250);
  });
  $('till-scan-stop').addEventListener('click', stop);
}

if (form) {
  form.addEventListener('submit', submit);
  pinPad();
  camera();
  network();
  window.addEventListener('online', () => {
    network();
    sync();
  });
  window.addEventListener('offline', network);
  $('till-sync').addEventListener('click', sync);
  setInterval(sync, 20_000);
  refreshQueue().then(sync);
  if ('serviceWorker' in navigator) navigator.serviceWorker.register(`${base}/sw.js`, { scope: base }).catch(() => undefined);
}
