/*
 * Member chat widget: help with a denied health-plan claim.
 *
 * Embed it on any page with one tag (no other files, libraries or fonts are needed):
 *
 *   <script src="https://YOUR-GATEWAY/widget.js" defer
 *           data-color="#0b5394"
 *           data-greeting="Hi. I can help if your health plan denied a claim. What happened?"
 *           data-title="Help with a denied claim"
 *           data-open="false"></script>
 *
 *   data-color     accent colour (hex, rgb() or a colour name; no transparency). Text on it is
 *                  white or near-black, whichever keeps contrast at 4.5:1 or more. An invalid
 *                  colour falls back to #0b5394.
 *   data-greeting  the first assistant bubble; shown in the browser only, never sent.
 *   data-title     the panel title; default "Help with a denied claim".
 *   data-open      "true" starts with the panel open (after a reload, the member's own choice wins).
 *
 * The gateway's address is taken from this script's own src, so the site embedding it must be
 * listed in the gateway's GATEWAY_ALLOWED_ORIGINS. The HTTP contract is docs/gateway-api.md.
 * Everything renders inside a Shadow DOM; text from the server or the member is only ever set
 * with textContent / text nodes, never parsed as HTML.
 */
(function () {
  'use strict';

  const SCRIPT = findScript();
  if (!SCRIPT) return;
  const BASE = new URL('./', SCRIPT.src);
  const LOADED_FLAG = '__hmoChatWidget:' + BASE.href;
  if (window[LOADED_FLAG]) return; // the tag was included twice
  window[LOADED_FLAG] = true;

  const DEFAULT_COLOR = '#0b5394';
  const KEY = 'hmo-chat:v1:' + BASE.origin + BASE.pathname;
  const PRIVACY_KEY = KEY + ':privacy-read';
  const MODES = ['assistant', 'waiting', 'advocate'];
  const SENDERS = ['assistant', 'advocate', 'system'];

  const T = {
    title: 'Help with a denied claim',
    greeting: 'Hi. I can help if your health plan denied a claim. What happened?',
    region: 'Chat about a denied claim',
    launcher: 'Chat with us',
    unread: ' (new message)',
    close: 'Close chat',
    deleteShort: 'Delete',
    deleteLong: 'Delete conversation',
    deleteAsk: 'Delete this conversation from this browser and our server?',
    deleteYes: 'Delete',
    deleteNo: 'Keep',
    deleted: 'Your conversation was deleted.',
    privacy:
      'This chat is private. What you write is stored encrypted and used only to help you ' +
      "with your appeal. Don't share more than you need. You can delete this conversation " +
      'at any time.',
    privacyOk: 'OK, got it',
    log: 'Conversation',
    inputLabel: 'Your message',
    placeholder: 'Type your message',
    send: 'Send',
    typing: 'The assistant is typing…',
    sending: 'Sending…',
    modeAssistant: "You're chatting with the automated assistant.",
    modeWaiting: 'Waiting for an advocate. What you write now goes to them.',
    modeAdvocateNamed: (name) => "You're chatting with " + name + ', an advocate.',
    modeAdvocate: "You're chatting with an advocate.",
    backToAssistant: 'Back to the assistant',
    errorDefault:
      "Sorry, that didn't go through. Please try again in a moment. If this keeps happening, " +
      "your state's help line can help you today.",
    errorBusy: 'Please wait a few seconds before sending another message.',
    ended: 'This conversation has ended. You can start a new one.',
    newTab: ' (opens in a new tab)',
    quickGroup: 'Suggested replies',
    speaker: { assistant: 'Assistant:', member: 'You:', system: 'Notice:' },
    advocateSpeaker: (name) => (name ? 'Advocate ' + name + ':' : 'Advocate:'),
    advocateTag: (name) => (name ? name + ', advocate' : 'Advocate'),
    cbLegend: 'Ask an advocate to call you',
    cbPhone: 'Phone number',
    cbTime: 'Best time to call (optional)',
    cbTimeHint: 'For example: weekdays after 3 pm',
    cbNote: 'Note (optional)',
    cbSubmit: 'Ask for a call back',
    cbSending: 'Sending…',
    cbNeedPhone: 'Please enter your phone number, with its area code.',
    cbDone: 'Your call back request was sent.',
  };

  function findScript() {
    const current = document.currentScript;
    if (current && current.src && /\/widget\.js$/.test(current.src.split(/[?#]/)[0])) {
      return current;
    }
    const tags = document.querySelectorAll('script[src]');
    for (let i = tags.length - 1; i >= 0; i--) {
      if (/\/widget\.js$/.test(tags[i].src.split(/[?#]/)[0])) return tags[i];
    }
    return null;
  }

  // Colours --------------------------------------------------------------------------------

  function parseColor(value) {
    if (typeof value !== 'string') return null;
    value = value.trim();
    if (!value || /^(inherit|initial|unset|revert|revert-layer|currentcolor|transparent)$/i.test(value)) {
      return null;
    }
    if (window.CSS && CSS.supports && !CSS.supports('color', value)) return null;
    let ctx = null;
    try {
      ctx = document.createElement('canvas').getContext('2d');
    } catch (e) {
      ctx = null;
    }
    if (!ctx) {
      const hex = /^#([0-9a-f]{6})$/i.exec(value);
      return hex ? hexToRgb(hex[1]) : null;
    }
    // An invalid value leaves fillStyle unchanged; two different sentinels expose that.
    ctx.fillStyle = '#010203';
    ctx.fillStyle = value;
    const first = String(ctx.fillStyle);
    ctx.fillStyle = '#030201';
    ctx.fillStyle = value;
    if (first !== String(ctx.fillStyle)) return null;
    const hex = /^#([0-9a-f]{6})$/i.exec(first);
    return hex ? hexToRgb(hex[1]) : null; // rgba(...) means transparency: refused
  }

  function hexToRgb(hex) {
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }

  function toHex(rgb) {
    return '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
  }

  function luminance(rgb) {
    const [r, g, b] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const la = luminance(a);
    const lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function palette(value) {
    const accent = parseColor(value) || hexToRgb(DEFAULT_COLOR.slice(1));
    const white = [255, 255, 255];
    const nearBlack = [17, 17, 17];
    let onAccent = contrast(accent, white) >= contrast(accent, nearBlack) ? white : nearBlack;
    if (contrast(accent, onAccent) < 4.5) onAccent = [0, 0, 0];
    // Links, outlines and quick replies sit on light backgrounds: darken the accent until
    // it reads at 4.5:1 on every one of them (so focus outlines clear 3:1 easily).
    const lights = [white, [241, 243, 245], [231, 243, 234], [253, 246, 227], [228, 233, 240]];
    let ink = accent;
    for (let t = 0; t <= 1.0001; t += 0.05) {
      ink = accent.map((c) => c * (1 - t));
      if (lights.every((bg) => contrast(ink, bg) >= 4.5)) break;
    }
    return { accent: toHex(accent), onAccent: toHex(onAccent), ink: toHex(ink) };
  }

  // Storage --------------------------------------------------------------------------------

  function readStorage(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function writeStorage(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* storage full or blocked: the chat still works for this page view */
    }
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons
      .filter((b) => b && typeof b.title === 'string' && b.title.trim())
      .map((b) => ({ title: b.title, payload: typeof b.payload === 'string' ? b.payload : null }));
  }

  function cleanMessage(raw, stored) {
    if (!raw || typeof raw !== 'object') return null;
    const allowed = stored ? SENDERS.concat('member') : SENDERS;
    const from = allowed.indexOf(raw.from) >= 0 ? raw.from : 'system';
    const message = {
      id: Number.isInteger(raw.id) ? raw.id : null,
      from: from,
      text: typeof raw.text === 'string' ? raw.text : raw.text == null ? '' : String(raw.text),
      buttons: cleanButtons(raw.buttons),
      name: typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : null,
      kind: typeof raw.kind === 'string' ? raw.kind : null,
    };
    if (stored && raw.callbackDone === true) message.callbackDone = true;
    if (!message.text && !message.buttons.length && message.kind !== 'callback_offer') return null;
    return message;
  }

  function localMessage(from, text) {
    return { id: null, from: from, text: text, buttons: [], name: null, kind: null };
  }

  const config = {
    title: (SCRIPT.getAttribute('data-title') || '').trim() || T.title,
    greeting: SCRIPT.hasAttribute('data-greeting')
      ? (SCRIPT.getAttribute('data-greeting') || '').trim()
      : T.greeting,
    open: (SCRIPT.getAttribute('data-open') || '').trim().toLowerCase() === 'true',
    colors: palette(SCRIPT.getAttribute('data-color')),
  };

  function greetingMessages() {
    return config.greeting ? [localMessage('assistant', config.greeting)] : [];
  }

  function freshState(open) {
    return {
      token: null,
      cursor: 0,
      mode: 'assistant',
      advocateName: null,
      messages: greetingMessages(),
      open: open,
      draft: '',
    };
  }

  function loadState() {
    let saved = null;
    try {
      saved = JSON.parse(readStorage(KEY) || 'null');
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved !== 'object' || !Array.isArray(saved.messages)) {
      return freshState(config.open);
    }
    return {
      token: typeof saved.token === 'string' && saved.token ? saved.token : null,
      cursor: Number.isInteger(saved.cursor) && saved.cursor > 0 ? saved.cursor : 0,
      mode: MODES.indexOf(saved.mode) >= 0 ? saved.mode : 'assistant',
      advocateName: typeof saved.advocateName === 'string' ? saved.advocateName : null,
      messages: saved.messages.map((m) => cleanMessage(m, true)).filter(Boolean),
      open: saved.open === true,
      draft: typeof saved.draft === 'string' ? saved.draft : '',
    };
  }

  let state = loadState();
  let seen = new Set();
  state.messages.forEach((m) => m.id !== null && seen.add(m.id));

  function save() {
    writeStorage(KEY, JSON.stringify(state));
  }

  // DOM helpers ----------------------------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const name of Object.keys(attrs)) {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) continue;
        if (name === 'text') node.textContent = value;
        else if (name === 'class') node.className = value;
        else node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    (children || []).forEach((child) => {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function icon(paths, size) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', String(size || 20));
    svg.setAttribute('height', String(size || 20));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    paths.forEach((d) => {
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  const ICON_CHAT = [
    'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  ];
  const ICON_CLOSE = ['M6 6l12 12', 'M18 6L6 18'];
  const ICON_TRASH = ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'];

  const sr = (text) => el('span', { class: 'hmo-sr', text: text });

  // Linkify: only http(s) URLs become links; anything else stays text.
  const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  function count(text, ch) {
    return text.split(ch).length - 1;
  }

  function trimUrl(url) {
    while (url.length) {
      const last = url[url.length - 1];
      if ('.,;:!?\'"*'.indexOf(last) >= 0) url = url.slice(0, -1);
      else if (last === ')' && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
      else if (last === ']' && count(url, '[') < count(url, ']')) url = url.slice(0, -1);
      else if (last === '}' && count(url, '{') < count(url, '}')) url = url.slice(0, -1);
      else break;
    }
    return url;
  }

  function appendText(parent, text) {
    let from = 0;
    URL_PATTERN.lastIndex = 0;
    let match;
    while ((match = URL_PATTERN.exec(text))) {
      const url = trimUrl(match[0]);
      let href = null;
      try {
        const parsed = new URL(url);
        if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
      } catch (e) {
        href = null;
      }
      if (!href || !url) continue;
      if (match.index > from) parent.appendChild(document.createTextNode(text.slice(from, match.index)));
      const link = el('a', { href: href, target: '_blank', rel: 'noopener noreferrer' });
      link.appendChild(document.createTextNode(url));
      link.appendChild(sr(T.newTab));
      parent.appendChild(link);
      from = match.index + url.length;
      URL_PATTERN.lastIndex = from;
    }
    if (from < text.length) parent.appendChild(document.createTextNode(text.slice(from)));
  }

  // Styles ---------------------------------------------------------------------------------

  const CSS_TEXT = `
:host { all: initial; }
.hmo-root {
  --hmo-accent: ${config.colors.accent};
  --hmo-on-accent: ${config.colors.onAccent};
  --hmo-ink: ${config.colors.ink};
  --hmo-text: #1a1a1a;
  --hmo-muted: #4f555c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 16px;
  line-height: 1.45;
  color: var(--hmo-text);
  text-align: left;
  direction: ltr;
  -webkit-text-size-adjust: 100%;
}
.hmo-root *, .hmo-root *::before, .hmo-root *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.hmo-sr {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
button, input, textarea { font: inherit; color: inherit; letter-spacing: normal; }
button { cursor: pointer; }
button:disabled { cursor: not-allowed; }
p { margin: 0; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--hmo-ink); outline-offset: 2px; }

.hmo-launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 8px;
  min-height: 52px; min-width: 52px; padding: 0 20px; margin: 0;
  border: 2px solid rgba(255, 255, 255, 0.85); border-radius: 999px;
  background: var(--hmo-accent); color: var(--hmo-on-accent);
  font-size: 16px; font-weight: 600;
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.28);
}
.hmo-launcher svg { fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; }
.hmo-launcher:focus-visible { outline: 3px solid #111; outline-offset: 2px; box-shadow: 0 0 0 2px #fff, 0 0 0 7px #fff; }
.hmo-launcher .hmo-dot {
  width: 12px; height: 12px; border-radius: 50%; background: #c5221f;
  border: 2px solid #fff; margin-left: 2px;
}

.hmo-panel {
  position: fixed; right: 20px; bottom: 84px; z-index: 2147483001;
  width: 380px; height: 600px;
  max-width: calc(100vw - 32px); max-height: calc(100vh - 108px);
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; color: var(--hmo-text);
  border: 1px solid #c4c9d0; border-radius: 14px;
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
  animation: hmo-in 160ms ease-out;
}
@keyframes hmo-in { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }

.hmo-header {
  display: flex; align-items: center; gap: 4px; flex: none;
  padding: 6px 6px 6px 16px;
  background: var(--hmo-accent); color: var(--hmo-on-accent);
}
.hmo-header h2 {
  flex: 1; margin: 0; font-size: 17px; font-weight: 700; line-height: 1.3; color: inherit;
}
.hmo-header h2:focus-visible { outline-offset: 4px; }
.hmo-header :focus-visible { outline-color: var(--hmo-on-accent); outline-offset: -3px; }
.hmo-header button {
  display: inline-flex; align-items: center; justify-content: center; gap: 4px;
  min-width: 44px; min-height: 44px; padding: 0 8px; margin: 0;
  border: 0; border-radius: 8px; background: transparent; color: inherit;
  font-size: 15px; font-weight: 600;
}
.hmo-header button:hover { background: rgba(127, 127, 127, 0.22); }
.hmo-header svg { fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }

.hmo-bar { flex: none; padding: 10px 14px; border-bottom: 1px solid #d5d9de; font-size: 15px; }
.hmo-bar p { margin-bottom: 8px; }
.hmo-bar .hmo-row { display: flex; flex-wrap: wrap; gap: 8px; }
.hmo-privacy { background: #e4e9f0; }
.hmo-confirm { background: #fdecea; color: #5c1410; }
.hmo-confirm p { font-weight: 600; }

.hmo-btn, .hmo-quick button, .hmo-callback button {
  display: inline-flex; align-items: center; justify-content: center;
  min-height: 44px; padding: 8px 16px; margin: 0;
  border: 2px solid var(--hmo-ink); border-radius: 22px;
  background: #fff; color: var(--hmo-ink);
  font-size: 15px; font-weight: 600; line-height: 1.25; text-align: center;
}
.hmo-btn:hover, .hmo-quick button:hover { background: #e4e9f0; }
.hmo-btn:disabled, .hmo-quick button:disabled { opacity: 0.65; }
.hmo-btn-danger { background: #b3261e; border-color: #b3261e; color: #fff; }
.hmo-btn-danger:hover { background: #8c1d18; border-color: #8c1d18; }

.hmo-status {
  flex: none; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px;
  padding: 8px 14px; background: #f1f3f5; color: #33383d;
  border-bottom: 1px solid #d5d9de; font-size: 14px;
}
.hmo-status p { flex: 1 1 180px; }
.hmo-status[data-mode="waiting"] { background: #fdf6e3; color: #4a3800; }
.hmo-status[data-mode="advocate"] { background: #e7f3ea; color: #174a2a; }
.hmo-status .hmo-btn { min-height: 44px; padding: 6px 14px; font-size: 14px; }

.hmo-log {
  flex: 1 1 auto; min-height: 0; overflow-y: auto; overscroll-behavior: contain;
  display: flex; flex-direction: column; gap: 12px; padding: 14px 12px;
}
.hmo-log:focus-visible { outline-offset: -3px; }
.hmo-msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 88%; gap: 6px; }
.hmo-msg[data-from="member"] { align-self: flex-end; align-items: flex-end; }
.hmo-msg[data-from="system"] { align-self: center; max-width: 96%; }
.hmo-bubble {
  padding: 9px 13px; border-radius: 14px; background: #f1f3f5; color: var(--hmo-text);
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal; font-size: 16px;
}
.hmo-msg[data-from="assistant"] .hmo-bubble { border-bottom-left-radius: 4px; }
.hmo-msg[data-from="member"] .hmo-bubble {
  background: var(--hmo-accent); color: var(--hmo-on-accent); border-bottom-right-radius: 4px;
}
.hmo-msg[data-from="advocate"] .hmo-bubble {
  background: #e7f3ea; border-left: 4px solid #1e6b3a; border-bottom-left-radius: 4px;
}
.hmo-msg[data-from="system"] .hmo-bubble {
  background: #fdf6e3; border: 1px solid #c9ad5c; border-radius: 10px; font-size: 15px;
}
.hmo-msg[data-pending] .hmo-bubble { box-shadow: inset 0 0 0 2px var(--hmo-on-accent); }
.hmo-who { font-size: 13px; font-weight: 700; color: #174a2a; padding-left: 4px; }
.hmo-bubble a { color: var(--hmo-ink); text-decoration: underline; text-underline-offset: 2px; }
.hmo-msg[data-from="member"] .hmo-bubble a { color: inherit; }
.hmo-msg[data-from="member"] .hmo-bubble a:focus-visible { outline-color: var(--hmo-on-accent); outline-offset: 1px; }
.hmo-quick { display: flex; flex-wrap: wrap; gap: 8px; }

.hmo-callback {
  display: flex; flex-direction: column; gap: 10px; width: 100%; min-width: 240px;
  padding: 12px; border: 1px solid #c4c9d0; border-radius: 12px; background: #fff;
}
.hmo-callback fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.hmo-field { display: flex; flex-direction: column; gap: 4px; }
.hmo-field label { font-size: 15px; font-weight: 600; }
.hmo-hint { font-size: 14px; color: var(--hmo-muted); }
.hmo-field input, .hmo-field textarea {
  width: 100%; min-height: 44px; padding: 9px 10px; font-size: 16px;
  border: 1px solid #6b7280; border-radius: 8px; background: #fff; color: var(--hmo-text);
}
.hmo-field textarea { min-height: 64px; resize: vertical; }
.hmo-field input[aria-invalid="true"] { border: 2px solid #b3261e; }
.hmo-callback .hmo-submit { align-self: flex-start; background: var(--hmo-accent); color: var(--hmo-on-accent); border-color: var(--hmo-accent); }
.hmo-callback .hmo-submit:disabled { opacity: 0.7; }
.hmo-form-error { color: #8a1c13; font-size: 15px; font-weight: 600; }
.hmo-form-error:empty { display: none; }
.hmo-done { font-size: 15px; font-weight: 600; color: #174a2a; padding: 2px 4px; }

.hmo-typing { flex: none; padding: 2px 16px 6px; font-size: 14px; font-style: italic; color: var(--hmo-muted); }
.hmo-typing span:not(.hmo-typing-text) { display: inline-block; animation: hmo-blink 1.2s infinite ease-in-out; }
.hmo-typing span:nth-child(3) { animation-delay: 0.2s; }
.hmo-typing span:nth-child(4) { animation-delay: 0.4s; }
@keyframes hmo-blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }

.hmo-error {
  flex: none; margin: 0 12px 8px; padding: 9px 12px; border-radius: 8px;
  background: #fdecea; color: #8a1c13; border-left: 4px solid #b3261e; font-size: 15px;
}
.hmo-error:empty { display: none; }

.hmo-composer {
  flex: none; display: flex; align-items: flex-end; gap: 8px;
  padding: 10px 12px 12px; border-top: 1px solid #d5d9de; background: #fff; margin: 0;
}
.hmo-composer textarea {
  flex: 1; min-width: 0; min-height: 46px; max-height: 160px; resize: none;
  padding: 11px 12px; font-size: 16px; line-height: 1.4;
  border: 1px solid #6b7280; border-radius: 10px; background: #fff; color: var(--hmo-text);
}
.hmo-composer textarea::placeholder { color: #5f6670; opacity: 1; }
.hmo-send {
  flex: none; min-height: 46px; min-width: 64px; padding: 0 16px; margin: 0;
  border: 2px solid var(--hmo-accent); border-radius: 10px;
  background: var(--hmo-accent); color: var(--hmo-on-accent); font-size: 16px; font-weight: 700;
}
.hmo-send:disabled { opacity: 0.6; }

@media (max-width: 480px) {
  .hmo-launcher { right: 12px; bottom: 12px; }
  .hmo-root[data-open="true"] .hmo-launcher { display: none; }
  .hmo-panel {
    inset: 0; right: 0; bottom: 0; width: 100%; height: 100vh; height: 100dvh;
    max-width: none; max-height: none; border: 0; border-radius: 0; box-shadow: none;
  }
  .hmo-header { padding-top: max(6px, env(safe-area-inset-top)); }
  .hmo-composer { padding-bottom: max(12px, env(safe-area-inset-bottom)); }
  .hmo-msg { max-width: 92%; }
}
@media (prefers-reduced-motion: reduce) {
  .hmo-panel, .hmo-typing span { animation: none !important; }
  .hmo-log { scroll-behavior: auto; }
}
@media (forced-colors: active) {
  .hmo-launcher, .hmo-send, .hmo-bubble, .hmo-panel { border: 1px solid CanvasText; }
  :focus-visible { outline: 3px solid Highlight; }
}
@media print { .hmo-root { display: none !important; } }
`;

  // Build the widget -------------------------------------------------------------------------

  const host = document.createElement('hmo-chat-widget');
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('display', 'block', 'important');
  host.style.setProperty('position', 'static', 'important');
  const shadow = host.attachShadow({ mode: 'open' });

  const styleEl = document.createElement('style');
  styleEl.textContent = CSS_TEXT;
  shadow.appendChild(styleEl);

  const launcherText = el('span', { text: T.launcher });
  const unreadDot = el('span', { class: 'hmo-dot', hidden: true, 'aria-hidden': 'true' });
  const unreadSr = el('span', { class: 'hmo-sr', hidden: true, text: T.unread });
  const launcher = el(
    'button',
    { type: 'button', class: 'hmo-launcher', 'aria-expanded': 'false', 'aria-controls': 'hmo-panel' },
    [icon(ICON_CHAT, 22), launcherText, unreadDot, unreadSr]
  );

  const title = el('h2', { id: 'hmo-title', tabindex: '-1', text: config.title });
  const deleteBtn = el(
    'button',
    { type: 'button', class: 'hmo-delete', 'aria-label': T.deleteLong },
    [icon(ICON_TRASH, 18), el('span', { text: T.deleteShort })]
  );
  const closeBtn = el('button', { type: 'button', class: 'hmo-close', 'aria-label': T.close }, [
    icon(ICON_CLOSE, 22),
  ]);
  const header = el('div', { class: 'hmo-header' }, [title, deleteBtn, closeBtn]);

  const confirmYes = el('button', { type: 'button', class: 'hmo-btn hmo-btn-danger hmo-delete-confirm', text: T.deleteYes });
  const confirmNo = el('button', { type: 'button', class: 'hmo-btn hmo-delete-keep', text: T.deleteNo });
  const confirmBox = el(
    'div',
    { class: 'hmo-bar hmo-confirm', role: 'group', 'aria-labelledby': 'hmo-confirm-q', hidden: true },
    [el('p', { id: 'hmo-confirm-q', text: T.deleteAsk }), el('div', { class: 'hmo-row' }, [confirmYes, confirmNo])]
  );

  const privacyOk = el('button', { type: 'button', class: 'hmo-btn hmo-privacy-ok', text: T.privacyOk });
  const privacy = el('div', { class: 'hmo-bar hmo-privacy', hidden: true }, [
    el('p', { text: T.privacy }),
    el('div', { class: 'hmo-row' }, [privacyOk]),
  ]);

  const statusText = el('p', { class: 'hmo-status-text' });
  const cancelBtn = el('button', { type: 'button', class: 'hmo-btn hmo-cancel-handoff', hidden: true, text: T.backToAssistant });
  const status = el('div', { class: 'hmo-status', 'aria-live': 'polite' }, [statusText, cancelBtn]);

  const log = el('div', { class: 'hmo-log', role: 'log', 'aria-live': 'polite', 'aria-label': T.log, tabindex: '0' });

  const typingText = el('span', { class: 'hmo-typing-text', text: T.typing.replace('…', '') });
  const typing = el('div', { class: 'hmo-typing', hidden: true, 'aria-hidden': 'true' }, [
    typingText,
    el('span', { text: '.' }),
    el('span', { text: '.' }),
    el('span', { text: '.' }),
  ]);
  const busyStatus = el('div', { class: 'hmo-sr hmo-busy-status', role: 'status', 'aria-live': 'polite' });
  const errorBox = el('div', { class: 'hmo-error', role: 'alert' });

  const input = el('textarea', {
    id: 'hmo-input',
    name: 'message',
    rows: '1',
    placeholder: T.placeholder,
    autocomplete: 'off',
    enterkeyhint: 'send',
  });
  const sendBtn = el('button', { type: 'submit', class: 'hmo-send', text: T.send });
  const composer = el('form', { class: 'hmo-composer', novalidate: true }, [
    el('label', { for: 'hmo-input', class: 'hmo-sr', text: T.inputLabel }),
    input,
    sendBtn,
  ]);

  const panel = el(
    'div',
    { class: 'hmo-panel', id: 'hmo-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'hmo-title', hidden: true },
    [header, confirmBox, privacy, status, log, typing, busyStatus, errorBox, composer]
  );
  const root = el('section', { class: 'hmo-root', lang: 'en', 'aria-label': T.region }, [launcher, panel]);
  shadow.appendChild(root);

  // Rendering --------------------------------------------------------------------------------

  const nodes = new WeakMap(); // message object -> its .hmo-msg element
  let busy = false;
  let sendAbort = null;
  let epoch = 0; // bumped when the member deletes the conversation: late answers are dropped

  function speakerLabel(message) {
    if (message.from === 'advocate') return T.advocateSpeaker(message.name);
    return T.speaker[message.from] || T.speaker.system;
  }

  function renderMessage(message) {
    const node = el('div', { class: 'hmo-msg', 'data-from': message.from });
    if (message.from === 'advocate') {
      node.appendChild(el('div', { class: 'hmo-who', 'aria-hidden': 'true', text: T.advocateTag(message.name) }));
    }
    const bubble = el('div', { class: 'hmo-bubble' }, [sr(speakerLabel(message) + ' ')]);
    const body = el('span', { class: 'hmo-text' });
    appendText(body, message.text);
    bubble.appendChild(body);
    if (message.text) node.appendChild(bubble);
    if (message.buttons.length) {
      const quick = el('div', { class: 'hmo-quick', role: 'group', 'aria-label': T.quickGroup });
      message.buttons.forEach((button) => {
        const b = el('button', { type: 'button', text: button.title });
        b.addEventListener('click', () => {
          if (busy) return;
          input.focus();
          sendMessage(button.title, button.payload, false);
        });
        quick.appendChild(b);
      });
      node.appendChild(quick);
    }
    if (message.kind === 'callback_offer') {
      node.appendChild(message.callbackDone ? callbackDone() : callbackForm(message));
    }
    nodes.set(message, node);
    return node;
  }

  function appendMessage(message) {
    const node = renderMessage(message);
    log.appendChild(node);
    return node;
  }

  function renderAll() {
    log.textContent = '';
    state.messages.forEach(appendMessage);
    syncQuickReplies();
    scrollToEnd();
  }

  // Quick replies belong to the newest turn: once the member has answered, older ones go.
  function syncQuickReplies(pending) {
    let answered = !!pending;
    for (let i = state.messages.length - 1; i >= 0; i--) {
      const message = state.messages[i];
      const node = nodes.get(message);
      const quick = node && node.querySelector('.hmo-quick');
      if (quick) quick.hidden = answered;
      if (message.from === 'member') answered = true;
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function updateStatus() {
    let text = T.modeAssistant;
    if (state.mode === 'waiting') text = T.modeWaiting;
    if (state.mode === 'advocate') {
      text = state.advocateName ? T.modeAdvocateNamed(state.advocateName) : T.modeAdvocate;
    }
    if (statusText.textContent !== text) statusText.textContent = text;
    status.setAttribute('data-mode', state.mode);
    cancelBtn.hidden = state.mode !== 'waiting';
    if (!busy) typingText.textContent = T.typing.replace('…', '');
  }

  function setBusy(value) {
    busy = value;
    sendBtn.disabled = value;
    typing.hidden = !value;
    const label = state.mode === 'assistant' ? T.typing : T.sending;
    typingText.textContent = label.replace('…', '');
    busyStatus.textContent = value ? label : '';
  }

  function showError(text) {
    errorBox.textContent = text;
  }

  function clearError() {
    errorBox.textContent = '';
  }

  function errorFor(answer) {
    const said = answer && answer.data && typeof answer.data.error === 'string' ? answer.data.error.trim() : '';
    if (said) return said;
    return answer && answer.status === 429 ? T.errorBusy : T.errorDefault;
  }

  function setUnread(on) {
    unreadDot.hidden = !on;
    unreadSr.hidden = !on;
  }

  // New messages from the server: each id once, never one at or below the cursor.
  function applyAnswer(data, fromUpdates) {
    if (!data || typeof data !== 'object') return 0;
    let added = 0;
    const list = Array.isArray(data.messages) ? data.messages : [];
    for (const raw of list) {
      const message = cleanMessage(raw, false);
      if (!message) continue;
      if (message.id !== null) {
        if (seen.has(message.id) || message.id <= state.cursor) continue;
        seen.add(message.id);
      }
      if ((message.from === 'advocate' || message.from === 'system') && message.name) {
        state.advocateName = message.name;
      }
      state.messages.push(message);
      appendMessage(message);
      added++;
    }
    if (fromUpdates && Number.isInteger(data.cursor) && data.cursor > state.cursor) {
      state.cursor = data.cursor;
    }
    if (MODES.indexOf(data.mode) >= 0) state.mode = data.mode;
    updateStatus();
    if (added) {
      syncQuickReplies();
      scrollToEnd();
      if (!state.open) setUnread(true);
    }
    save();
    return added;
  }

  // HTTP -----------------------------------------------------------------------------------

  async function call(method, path, body, options) {
    const opts = options || {};
    const headers = {};
    if (body !== undefined && body !== null) headers['Content-Type'] = 'application/json';
    if (opts.token) headers['X-Conversation'] = opts.token;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeout || 30000);
    const outer = opts.signal;
    const onAbort = () => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener('abort', onAbort, { once: true });
    }
    try {
      const response = await fetch(new URL(path, BASE).href, {
        method: method,
        headers: headers,
        body: body !== undefined && body !== null ? JSON.stringify(body) : undefined,
        credentials: 'omit',
        cache: 'no-store',
        mode: 'cors',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
      let data = null;
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
      return {
        ok: response.ok,
        status: response.status,
        data: data && typeof data === 'object' ? data : {},
      };
    } finally {
      clearTimeout(timer);
      if (outer) outer.removeEventListener('abort', onAbort);
    }
  }

  function sleep(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        if (signal) signal.removeEventListener('abort', done);
        window.removeEventListener('online', done);
        resolve();
      }
      if (signal) signal.addEventListener('abort', done, { once: true });
      window.addEventListener('online', done, { once: true });
    });
  }

  async function ensureConversation() {
    if (state.token) return null;
    const answer = await call('POST', 'api/conversations', null, { timeout: 20000 });
    const token = answer.data && answer.data.conversation;
    if (!answer.ok || typeof token !== 'string' || !token) return answer;
    state.token = token;
    state.cursor = 0;
    state.mode = 'assistant';
    state.advocateName = null;
    seen = new Set();
    save();
    startPolling();
    return null;
  }

  // The server said the token no longer works: forget it, keep what is on screen.
  function conversationEnded() {
    if (!state.token) return;
    stopPolling();
    state.token = null;
    state.cursor = 0;
    state.mode = 'assistant';
    state.advocateName = null;
    state.messages.forEach((message) => {
      message.id = null; // ids restart with the next conversation
    });
    seen = new Set();
    const notice = localMessage('system', T.ended);
    state.messages.push(notice);
    appendMessage(notice);
    syncQuickReplies();
    updateStatus();
    scrollToEnd();
    save();
  }

  // Long polling -----------------------------------------------------------------------------

  let poller = null;

  function startPolling() {
    if (!state.token || poller) return;
    const me = { controller: new AbortController() };
    poller = me;
    (async () => {
      let delay = 0;
      while (poller === me && state.token) {
        const token = state.token;
        const started = Date.now();
        try {
          const answer = await call('GET', 'api/updates?after=' + encodeURIComponent(state.cursor), null, {
            token: token,
            signal: me.controller.signal,
            timeout: 45000,
          });
          if (poller !== me || token !== state.token) return;
          if (answer.status === 401) {
            conversationEnded();
            return;
          }
          if (!answer.ok) throw new Error('updates answered ' + answer.status);
          delay = 0;
          const added = applyAnswer(answer.data, true);
          if (!added && Date.now() - started < 1000) await sleep(1000, me.controller.signal);
        } catch (e) {
          if (poller !== me) return;
          delay = delay ? Math.min(delay * 2, 30000) : 2000;
          await sleep(delay, me.controller.signal);
        }
      }
      if (poller === me) poller = null;
    })();
  }

  function stopPolling() {
    if (poller) {
      poller.controller.abort();
      poller = null;
    }
  }

  // Sending ----------------------------------------------------------------------------------

  function putBack(text) {
    const now = input.value;
    input.value = now.trim() ? text + '\n' + now : text;
    state.draft = input.value;
    save();
    autosize();
  }

  async function sendMessage(text, payload, typed) {
    if (busy || !text.trim()) return;
    clearError();
    const mine = localMessage('member', text);
    const index = state.messages.length;
    const node = appendMessage(mine);
    node.setAttribute('data-pending', '');
    syncQuickReplies(true);
    scrollToEnd();
    if (typed) {
      input.value = '';
      autosize();
    }
    setBusy(true);
    const myEpoch = epoch;
    const controller = new AbortController();
    sendAbort = controller;
    let failure = null;
    let meanwhile = null;
    let ended = false;
    try {
      const refused = await ensureConversation();
      if (myEpoch !== epoch) return;
      if (refused) {
        failure = errorFor(refused);
      } else {
        const body = payload !== null && payload !== undefined ? { text: text, payload: payload } : { text: text };
        const answer = await call('POST', 'api/messages', body, {
          token: state.token,
          signal: controller.signal,
          timeout: 70000,
        });
        if (myEpoch !== epoch) return;
        if (answer.status === 401) {
          ended = true;
        } else if (!answer.ok) {
          failure = errorFor(answer);
          // While the assistant is down, the refusal still carries the help lines to show.
          if (answer.data && Array.isArray(answer.data.messages)) meanwhile = answer.data.messages;
        } else {
          node.removeAttribute('data-pending');
          state.messages.splice(index, 0, mine);
          state.draft = input.value;
          applyAnswer(answer.data, false);
          save();
        }
      }
    } catch (e) {
      if (myEpoch !== epoch) return;
      failure = T.errorDefault;
    } finally {
      if (myEpoch === epoch) {
        sendAbort = null;
        setBusy(false);
        updateStatus();
      }
    }
    if (failure || ended) {
      node.remove();
      if (meanwhile) applyAnswer({ messages: meanwhile }, false);
      if (typed) putBack(text);
      if (ended) conversationEnded();
      else showError(failure);
      syncQuickReplies();
    }
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 160) + 'px';
  }

  let draftTimer = null;
  input.addEventListener('input', () => {
    autosize();
    clearTimeout(draftTimer);
    draftTimer = setTimeout(() => {
      state.draft = input.value;
      save();
    }, 250);
  });

  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submitTyped();
  });

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submitTyped();
    input.focus();
  });

  function submitTyped() {
    if (busy) return;
    const text = input.value;
    if (!text.trim()) return; // nothing to send; whatever is there stays
    sendMessage(text, null, true);
  }

  // Call back form -----------------------------------------------------------------------------

  let formCount = 0;

  function callbackDone() {
    return el('p', { class: 'hmo-done', tabindex: '-1', text: T.cbDone });
  }

  function field(id, label, control, hint) {
    const parts = [el('label', { for: id, text: label })];
    if (hint) parts.push(el('span', { class: 'hmo-hint', id: id + '-hint', text: hint }));
    parts.push(control);
    return el('div', { class: 'hmo-field' }, parts);
  }

  function callbackForm(message) {
    const n = ++formCount;
    const phone = el('input', {
      id: 'hmo-cb-phone-' + n,
      name: 'phone',
      type: 'tel',
      required: true,
      autocomplete: 'tel',
      inputmode: 'tel',
      'aria-required': 'true',
    });
    const when = el('input', {
      id: 'hmo-cb-time-' + n,
      name: 'best_time',
      type: 'text',
      autocomplete: 'off',
      'aria-describedby': 'hmo-cb-time-' + n + '-hint',
    });
    const note = el('textarea', { id: 'hmo-cb-note-' + n, name: 'note', rows: '2' });
    const problem = el('p', { class: 'hmo-form-error', id: 'hmo-cb-error-' + n, role: 'alert' });
    const submit = el('button', { type: 'submit', class: 'hmo-submit', text: T.cbSubmit });
    const form = el('form', { class: 'hmo-callback', novalidate: true }, [
      el('fieldset', null, [
        el('legend', { class: 'hmo-sr', text: T.cbLegend }), // the bubble above says it visibly
        field(phone.id, T.cbPhone, phone),
        field(when.id, T.cbTime, when, T.cbTimeHint),
        field(note.id, T.cbNote, note),
      ]),
      problem,
      submit,
    ]);

    function fail(text, onPhone) {
      problem.textContent = text;
      if (onPhone) {
        phone.setAttribute('aria-invalid', 'true');
        phone.setAttribute('aria-describedby', problem.id);
        phone.focus();
      }
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      problem.textContent = '';
      phone.removeAttribute('aria-invalid');
      phone.removeAttribute('aria-describedby');
      if (!phone.value.trim()) {
        fail(T.cbNeedPhone, true);
        return;
      }
      if (!state.token) {
        fail(T.ended, false);
        return;
      }
      const token = state.token;
      submit.disabled = true;
      submit.textContent = T.cbSending;
      let answer = null;
      try {
        answer = await call(
          'POST',
          'api/callback',
          { phone: phone.value.trim(), best_time: when.value.trim(), note: note.value.trim() },
          { token: token, timeout: 30000 }
        );
      } catch (e) {
        answer = null;
      }
      submit.disabled = false;
      submit.textContent = T.cbSubmit;
      if (!answer) {
        fail(T.errorDefault, false);
        return;
      }
      if (answer.status === 401) {
        fail(T.ended, false);
        if (state.token === token) conversationEnded();
        return;
      }
      if (!answer.ok) {
        fail(errorFor(answer), answer.status === 400);
        return;
      }
      message.callbackDone = true;
      const done = callbackDone();
      form.replaceWith(done);
      done.focus();
      applyAnswer(answer.data, false);
      save();
    });
    return form;
  }

  // Panel, privacy, delete ---------------------------------------------------------------------

  function privacyRead() {
    return readStorage(PRIVACY_KEY) === '1';
  }

  function setOpen(open, focusTarget) {
    state.open = open;
    panel.hidden = !open;
    root.setAttribute('data-open', open ? 'true' : 'false');
    launcher.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) {
      setUnread(false);
      privacy.hidden = privacyRead();
      autosize();
      scrollToEnd();
    } else {
      hideConfirm(false);
    }
    save();
    if (focusTarget) focusTarget.focus();
  }

  launcher.addEventListener('click', () => {
    if (state.open) setOpen(false, launcher);
    else setOpen(true, input);
  });
  closeBtn.addEventListener('click', () => setOpen(false, launcher));

  root.addEventListener('keydown', (event) => {
    if ((event.key !== 'Escape' && event.key !== 'Esc') || !state.open) return;
    event.preventDefault();
    event.stopPropagation();
    if (!confirmBox.hidden) hideConfirm(true);
    else setOpen(false, launcher);
  });

  privacyOk.addEventListener('click', () => {
    writeStorage(PRIVACY_KEY, '1');
    privacy.hidden = true;
    input.focus();
  });

  function hideConfirm(refocus) {
    confirmBox.hidden = true;
    confirmYes.disabled = false;
    if (refocus) deleteBtn.focus();
  }

  deleteBtn.addEventListener('click', () => {
    confirmBox.hidden = false;
    confirmNo.focus();
  });
  confirmNo.addEventListener('click', () => hideConfirm(true));

  confirmYes.addEventListener('click', async () => {
    confirmYes.disabled = true;
    clearError();
    if (state.token) {
      let answer = null;
      try {
        answer = await call('DELETE', 'api/conversation', null, { token: state.token, timeout: 20000 });
      } catch (e) {
        answer = null;
      }
      if (!answer || (!answer.ok && answer.status !== 401)) {
        confirmYes.disabled = false;
        showError(answer ? errorFor(answer) : T.errorDefault);
        return;
      }
    }
    epoch++;
    stopPolling();
    if (sendAbort) sendAbort.abort();
    sendAbort = null;
    writeStorage(KEY, null);
    state = freshState(true);
    state.messages.unshift(localMessage('system', T.deleted));
    seen = new Set();
    input.value = '';
    autosize();
    setBusy(false);
    renderAll();
    updateStatus();
    save();
    hideConfirm(false);
    input.focus();
  });

  cancelBtn.addEventListener('click', async () => {
    if (!state.token) {
      state.mode = 'assistant';
      updateStatus();
      return;
    }
    cancelBtn.disabled = true;
    clearError();
    let answer = null;
    try {
      answer = await call('POST', 'api/handoff/cancel', null, { token: state.token, timeout: 20000 });
    } catch (e) {
      answer = null;
    }
    cancelBtn.disabled = false;
    if (!answer) {
      showError(T.errorDefault);
      return;
    }
    if (answer.status === 401) {
      conversationEnded();
      input.focus();
      return;
    }
    if (!answer.ok) {
      showError(errorFor(answer));
      return;
    }
    applyAnswer(answer.data, false);
    input.focus();
  });

  // Start ------------------------------------------------------------------------------------

  function mount() {
    if (host.isConnected) return;
    // Everything is rendered before the widget joins the page, so a restored conversation is
    // not read out again by the live regions.
    renderAll();
    updateStatus();
    input.value = state.draft;
    setOpen(state.open, null);
    document.body.appendChild(host);
    // The site's Content-Security-Policy may refuse inline styles; then adopt the same rules
    // as a constructed style sheet, which CSP does not govern.
    if (!styleEl.sheet && 'adoptedStyleSheets' in shadow && window.CSSStyleSheet) {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS_TEXT);
        shadow.adoptedStyleSheets = [sheet];
      } catch (e) {
        /* keep going unstyled rather than not at all */
      }
    }
    autosize();
    scrollToEnd();
    startPolling();
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
