// The advocate console: the queue of handoff cases (long polling), the open case with its summary
// and transcript, and the live chat with the member. Contract: docs/gateway-api.md, "Advocate side".
// Everything the server sends is put on the page as text (textContent / text nodes), never as HTML.
"use strict";

(() => {
  const MIN_BACKOFF_MS = 2000;
  const MAX_BACKOFF_MS = 30000;
  const POLL_TIMEOUT_MS = 45000; // the server answers within 25 s; give up on a stuck request
  const CLOCK_TICK_MS = 30000;
  const SIGN_IN_PAGE = "/console/sign-in";

  const state = {
    name: "",
    username: "",
    csrf: "",
    leaving: false,
    version: 0,
    firstQueue: true,
    cases: [],
    seenWaiting: new Set(),
    openId: null,
    view: null,
    drafts: new Map(),
  };

  class SignedOut extends Error {}

  // ---------------------------------------------------------------- small helpers

  const $ = (selector, root = document) => root.querySelector(selector);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const ATTRIBUTES = new Set(["id", "type", "role", "tabindex", "for", "href", "scope", "rows",
    "datetime", "autocomplete", "spellcheck"]);

  /** Make an element; strings among `children` become text nodes (Element.append). */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "hidden") node.hidden = Boolean(value);
      else if (key.startsWith("data-") || key.startsWith("aria-") || ATTRIBUTES.has(key)) {
        node.setAttribute(key, value === true ? "" : String(value));
      } else node[key] = value;
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child);
    }
    return node;
  }

  const text = (value) => (value === null || value === undefined ? "" : String(value));
  const token = (value) => text(value).toLowerCase().replace(/[^a-z0-9_-]/g, "");

  function toSignIn() {
    state.leaving = true;
    window.location.assign(SIGN_IN_PAGE);
  }

  /** One call to /console/api; any 401 goes back to the sign-in page. */
  async function api(path, { method = "GET", body, signal } = {}) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
    const init = { method, headers, credentials: "same-origin", cache: "no-store", signal };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.status === 401) {
      toSignIn();
      throw new SignedOut();
    }
    return { status: response.status, data };
  }

  function errorSentence(result, fallback) {
    const data = result && result.data;
    return data && typeof data.error === "string" && data.error ? data.error : fallback;
  }

  const UNREACHABLE = "The console could not reach the server. Check your connection and try again.";

  // ---------------------------------------------------------------- dates and words

  const dayFormat = new Intl.DateTimeFormat("en-US",
    { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  const timeFormat = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });
  const dayTimeFormat = new Intl.DateTimeFormat("en-US",
    { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

  function formatDay(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text(iso));
    if (!match) return text(iso);
    return dayFormat.format(new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])));
  }

  function daysLeftText(days) {
    if (days === null || days === undefined || days === "") return "";
    const n = Number(days);
    if (!Number.isFinite(n)) return "";
    if (n < 0) return "deadline passed";
    if (n === 0) return "due today";
    return n === 1 ? "1 day left" : `${n} days left`;
  }

  function deadlineText(due, days) {
    if (!due) return "no date yet";
    const left = daysLeftText(days);
    return left ? `${formatDay(due)} — ${left}` : formatDay(due);
  }

  function formatAt(iso) {
    const when = Date.parse(text(iso));
    if (Number.isNaN(when)) return "";
    const moment = new Date(when);
    const sameDay = moment.toDateString() === new Date().toDateString();
    return (sameDay ? timeFormat : dayTimeFormat).format(moment);
  }

  function duration(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 1) return "less than a minute";
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
    return `${Math.floor(hours / 24)} days`;
  }

  function waitedText(row) {
    const since = Date.parse(text(row.created_at));
    if (Number.isNaN(since)) return "";
    const span = duration(Date.now() - since);
    return row.status === "waiting" ? `Waiting ${span}` : `Came in ${span} ago`;
  }

  const isMine = (row) =>
    Boolean(row) && row.status === "held" && Boolean(row.advocate) && row.advocate === state.name;

  function statusLabel(row) {
    switch (row.status) {
      case "waiting": return "Waiting";
      case "held":
        if (!row.advocate) return "With an advocate";
        return isMine(row) ? `With ${row.advocate} (you)` : `With ${row.advocate}`;
      case "missed": return row.callback ? "Callback requested" : "Missed";
      case "handed_back": return "Handed back";
      case "closed": return "Closed";
      case "cancelled": return "Cancelled by the member";
      default: return text(row.status) || "Unknown";
    }
  }

  function statusBadge(row) {
    const kind = row.status === "missed" && row.callback ? "callback" : token(row.status);
    return el("span", { class: `badge status-${kind}` }, statusLabel(row));
  }

  const urgentBadge = () => el("span", { class: "badge urgent" }, "Urgent");

  function place(row, separator) {
    return [row.state, row.plan].filter(Boolean).map(text).join(separator);
  }

  function describeForAnnouncement(row) {
    const where = place(row, " ") || "state and plan not known";
    return row.urgent ? `urgent, ${where}` : where;
  }

  // ---------------------------------------------------------------- live announcements

  function announceQueue(sentence) {
    const region = $("#queue-announcer");
    region.textContent = "";
    setTimeout(() => { region.textContent = sentence; }, 100);
  }

  function announceMessage(sentence) {
    const region = $("#message-announcer");
    region.append(el("p", {}, sentence));
    while (region.childElementCount > 3) region.firstElementChild.remove();
  }

  function showGlobalError(sentence) {
    $(".global-error").textContent = sentence;
  }

  // ---------------------------------------------------------------- the queue

  function fillCaseItem(button, row) {
    const signature = JSON.stringify([row, state.openId === row.id, state.name]);
    button.dataset.caseId = text(row.id);
    button.dataset.status = text(row.status);
    if (state.openId === row.id) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
    if (button.dataset.signature === signature) {
      updateWaited(button, row);
      return;
    }
    button.dataset.signature = signature;
    const badges = el("span", { class: "item-badges" }, statusBadge(row));
    if (row.urgent) badges.append(" ", urgentBadge());
    const what = [row.service, row.reason].filter(Boolean).map(text).join(" — ");
    const deadline = el("span", { class: "item-deadline" },
      el("span", { class: "item-label" }, "Deadline: "),
      el("span", { class: row.days_left !== null && row.days_left < 0 ? "passed" : "" },
        deadlineText(row.nearest_deadline, row.days_left)));
    button.replaceChildren(
      badges, " ",
      el("span", { class: "item-place" }, place(row, " · ") || "State and plan not known"), " ",
      el("span", { class: "item-what" }, what || "Service and reason not known"), " ",
      deadline, " ",
      el("span", { class: "item-waited" }, waitedText(row)),
    );
  }

  function updateWaited(button, row) {
    const waited = $(".item-waited", button);
    const now = waitedText(row);
    if (waited && waited.textContent !== now) waited.textContent = now;
  }

  function renderQueue(cases) {
    const list = $(".queue");
    const active = document.activeElement;
    const activeIndex = [...list.children].findIndex((li) => li.contains(active));
    const existing = new Map([...list.children].map((li) => [li.dataset.caseId, li]));
    const wanted = [];
    for (const row of cases) {
      const key = text(row.id);
      let item = existing.get(key);
      if (item) existing.delete(key);
      else {
        const button = el("button", { type: "button", class: "case-item" });
        button.addEventListener("click", () => openCase(Number(button.dataset.caseId)));
        item = el("li", { "data-case-id": key }, button);
      }
      fillCaseItem(item.firstElementChild, row);
      wanted.push(item);
    }
    for (const gone of existing.values()) gone.remove();
    wanted.forEach((item, index) => {
      if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
    });
    if (active && active !== document.activeElement) {
      if (active.isConnected) active.focus({ preventScroll: true });
      else if (activeIndex >= 0) {
        const next = list.children[Math.min(activeIndex, list.children.length - 1)];
        (next ? next.firstElementChild : $("#queue-heading")).focus();
      }
    }
    $(".queue-empty").hidden = cases.length > 0;

    const waiting = cases.filter((row) => row.status === "waiting");
    document.title = waiting.length ? `(${waiting.length} waiting) Advocate console` : "Advocate console";
    $(".queue-count").textContent =
      `${cases.length} open${cases.length ? `, ${waiting.length} waiting` : ""}`;

    const fresh = waiting.filter((row) => !state.seenWaiting.has(row.id));
    for (const row of waiting) state.seenWaiting.add(row.id);
    if (!state.firstQueue && fresh.length) {
      announceQueue(fresh.map((row) => `New case waiting: ${describeForAnnouncement(row)}`).join(". "));
    }
    state.firstQueue = false;
    state.cases = cases;
  }

  function markOpenItem() {
    for (const button of document.querySelectorAll(".case-item")) {
      if (Number(button.dataset.caseId) === state.openId) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  function setQueueStatus(sentence) {
    const status = $(".queue-status");
    if (status.textContent !== sentence) status.textContent = sentence;
  }

  async function pollQueue() {
    let backoff = MIN_BACKOFF_MS;
    while (!state.leaving) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), POLL_TIMEOUT_MS);
      const started = Date.now();
      try {
        const result = await api(`/console/api/cases?version=${encodeURIComponent(state.version)}`,
          { signal: controller.signal });
        clearTimeout(timer);
        const data = result.data;
        if (result.status !== 200 || !data || !Array.isArray(data.cases)) {
          throw new Error(`queue answered ${result.status}`);
        }
        backoff = MIN_BACKOFF_MS;
        setQueueStatus("");
        const first = state.firstQueue;
        const changed = data.version !== state.version;
        state.version = data.version;
        if (changed || first) {
          renderQueue(data.cases);
          if (!first && state.openId !== null) refreshOpenCase();
        } else if (Date.now() - started < 1000) {
          await sleep(1000); // never spin if a server answers at once with nothing new
        }
      } catch (error) {
        clearTimeout(timer);
        if (error instanceof SignedOut || state.leaving) return;
        const seconds = Math.round(backoff / 1000);
        setQueueStatus(`The queue could not be updated. Trying again in ${seconds} seconds.`);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  function moveInQueue(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const items = [...document.querySelectorAll(".case-item")];
    const index = items.indexOf(document.activeElement);
    if (index < 0) return;
    const next = items[index + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  // ---------------------------------------------------------------- the open case

  const CONFIDENCE = {
    H: ["High", "from the regulation text"],
    M: ["Medium", "from an official summary; sources differ slightly, so please double-check"],
    L: ["Low", "not confirmed; please double-check"],
  };

  function valueOrUnknown(value) {
    const shown = text(value);
    return shown ? el("dd", {}, shown) : el("dd", { class: "unknown" }, "Not known");
  }

  function lineKey(line) {
    return line.id !== null && line.id !== undefined
      ? `id:${line.id}` : `at:${text(line.from)}|${text(line.at)}|${text(line.text)}`;
  }

  function lineNode(line) {
    const from = text(line.from);
    const kind = ["member", "assistant", "advocate", "system"].includes(from) ? from : "system";
    const item = el("li", { class: `line from-${kind}`, "data-from": from });
    let who = "";
    if (kind === "member") who = "Member";
    else if (kind === "assistant") who = "Assistant";
    else if (kind === "advocate") {
      who = text(line.name) || "Advocate";
      if (line.name && line.name === state.name) who += " (you)";
    }
    const meta = el("p", { class: "line-meta" });
    if (who) meta.append(el("span", { class: "who" }, who));
    else meta.append(el("span", { class: "visually-hidden" }, "Notice"));
    const at = formatAt(line.at);
    if (at) meta.append(" ", el("time", { class: "at", datetime: text(line.at) }, at));
    item.append(meta, el("p", { class: "bubble" }, text(line.text)));
    return item;
  }

  class CaseView {
    constructor(id) {
      this.id = id;
      this.row = null;
      this.loaded = false;
      this.lineKeys = new Set();
      this.transcriptSignature = null;
      this.summarySignature = null;
      this.callbackSignature = null;
      this.busy = false;
      this.sending = false;
      const ids = (name) => `case-${id}-${name}`;

      this.badges = el("p", { class: "case-badges" });
      this.meta = el("p", { class: "case-meta" });
      this.note = el("p", { class: "case-note", role: "status" });
      this.error = el("p", { class: "console-error case-error", role: "alert", tabindex: "-1" });

      this.takeButton = el("button", { type: "button", class: "take-case primary", hidden: true },
        "Take this case");
      this.handBackButton = el("button", { type: "button", class: "hand-back", hidden: true },
        "Hand back to the assistant");
      this.closeButton = el("button", { type: "button", class: "close-case danger", hidden: true,
        "aria-expanded": "false" }, "Close case");
      this.confirmYes = el("button", { type: "button", class: "close-case-confirm danger-solid" },
        "Yes, close the case");
      this.confirmNo = el("button", { type: "button", class: "close-case-cancel" }, "Keep it open");
      this.confirm = el("div", { class: "close-confirm", role: "group", hidden: true,
        "aria-labelledby": ids("close-question") },
        el("p", { id: ids("close-question") },
          "Close this case? It leaves the queue and the member goes back to the automated assistant."),
        this.confirmYes, " ", this.confirmNo);
      this.actions = el("div", { class: "case-actions" },
        this.takeButton, " ", this.handBackButton, " ", this.closeButton, this.confirm);

      this.summary = el("section", { class: "case-summary", "aria-labelledby": ids("summary") });
      this.summaryHeading = ids("summary");
      this.callback = el("section", { class: "case-callback", hidden: true,
        "aria-labelledby": ids("callback") });
      this.callbackHeading = ids("callback");

      this.transcript = el("ol", { class: "transcript conversation" });
      this.transcriptEmpty = el("p", { class: "empty-note", hidden: true },
        "No conversation was recorded before the handoff.");
      const transcriptSection = el("section", { class: "transcript-section",
        "aria-labelledby": ids("transcript") },
        el("h3", { id: ids("transcript") }, "Conversation with the assistant"),
        this.transcriptEmpty, this.transcript);

      this.messages = el("ol", { class: "messages conversation" });
      this.messagesEmpty = el("p", { class: "empty-note" }, "Nothing has been said since the handoff.");
      const messagesSection = el("section", { class: "messages-section",
        "aria-labelledby": ids("messages") },
        el("h3", { id: ids("messages") }, "Live chat"),
        this.messagesEmpty, this.messages);

      this.loading = el("p", { class: "empty-note" }, "Loading the case…");
      this.scroller = el("div", { class: "case-scroll", tabindex: "0", role: "region",
        "aria-label": "Case details and conversation" },
        this.loading, this.callback, this.summary, transcriptSection, messagesSection);

      this.reply = el("textarea", { id: "reply", rows: "3", "aria-describedby": "reply-hint",
        spellcheck: "true" });
      this.reply.value = state.drafts.get(id) || "";
      this.sendButton = el("button", { type: "submit", class: "send-reply primary" }, "Send");
      this.compose = el("form", { class: "compose", hidden: true },
        el("label", { for: "reply" }, "Message to the member"),
        el("div", { class: "compose-row" }, this.reply, this.sendButton),
        el("p", { id: "reply-hint", class: "hint" }, "Enter sends. Shift+Enter starts a new line."));

      this.root = el("div", { class: "case-view", "data-case-id": text(id) },
        this.badges, this.meta, this.actions, this.note, this.error, this.scroller, this.compose);

      this.takeButton.addEventListener("click", () => this.take());
      this.handBackButton.addEventListener("click", () => this.end("hand-back"));
      this.closeButton.addEventListener("click", () => this.askClose());
      this.confirmNo.addEventListener("click", () => this.cancelClose());
      this.confirmYes.addEventListener("click", () => this.end("close"));
      this.confirm.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          this.cancelClose();
        }
      });
      this.compose.addEventListener("submit", (event) => {
        event.preventDefault();
        this.send();
      });
      this.reply.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.altKey &&
            !event.metaKey && !event.isComposing) {
          event.preventDefault();
          this.send();
        }
      });
      this.reply.addEventListener("input", () => {
        if (this.reply.value) state.drafts.set(this.id, this.reply.value);
        else state.drafts.delete(this.id);
      });
    }

    // -------------------------------------------------------------- rendering

    atBottom() {
      const box = this.scroller;
      return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    }

    scrollToBottom() {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }

    update(data) {
      const row = data.case;
      const hadFocus = this.root.contains(document.activeElement);
      const wasAtBottom = this.atBottom();
      this.row = row;
      this.loading.hidden = true;

      const heading = $("#case-heading");
      const title = `Case ${text(row.id)}: ${place(row, " ") || "state and plan not known"}`;
      if (heading.textContent !== title) heading.textContent = title;

      const badges = [statusBadge(row)];
      if (row.urgent) badges.push(" ", urgentBadge());
      this.badges.replaceChildren(...badges);
      this.renderMeta();
      this.renderActions();
      this.renderSummary(data.summary || {});
      this.renderCallback(row.callback);
      this.renderTranscript(Array.isArray(data.transcript) ? data.transcript : []);
      this.renderMessages(Array.isArray(data.messages) ? data.messages : []);

      const mine = isMine(row);
      this.compose.hidden = !mine;

      if (hadFocus && !this.root.contains(document.activeElement)) this.rescueFocus();
      if (this.loaded && wasAtBottom) this.scrollToBottom();
      this.loaded = true;
    }

    renderMeta() {
      const row = this.row;
      const parts = [`Nearest deadline: ${deadlineText(row.nearest_deadline, row.days_left)}`];
      const waited = waitedText(row);
      if (waited) parts.push(waited);
      if (row.status === "held" && !isMine(row) && row.advocate) {
        parts.push(`${row.advocate} is chatting with this member`);
      }
      const sentence = parts.join(" · ");
      if (this.meta.textContent !== sentence) this.meta.textContent = sentence;
    }

    renderActions() {
      const row = this.row;
      const mine = isMine(row);
      this.takeButton.hidden = !(row.status === "waiting" || row.status === "missed");
      this.handBackButton.hidden = !mine;
      const canClose = mine || row.status === "missed";
      if (!canClose) this.confirm.hidden = true;
      this.closeButton.hidden = !canClose || !this.confirm.hidden;
      this.closeButton.setAttribute("aria-expanded", String(!this.confirm.hidden));
    }

    renderSummary(summary) {
      const signature = JSON.stringify(summary);
      if (signature === this.summarySignature) return;
      this.summarySignature = signature;
      const ids = (name) => `case-${this.id}-${name}`;
      const urgent = summary.urgent === true ? "Yes" : summary.urgent === false ? "No" : "";
      const facts = el("dl", { class: "facts" },
        el("div", {}, el("dt", {}, "State"), valueOrUnknown(summary.state)),
        el("div", {}, el("dt", {}, "Plan"), valueOrUnknown(summary.plan)),
        el("div", {}, el("dt", {}, "Notice date"), valueOrUnknown(summary.notice_date)),
        el("div", {}, el("dt", {}, "Service"), valueOrUnknown(summary.service)),
        el("div", {}, el("dt", {}, "Reason"), valueOrUnknown(summary.reason)),
        el("div", {}, el("dt", {}, "Urgent care"), valueOrUnknown(urgent)),
        el("div", {}, el("dt", {}, "Stage"), valueOrUnknown(summary.stage)));

      const deadlines = Array.isArray(summary.deadlines) ? summary.deadlines : [];
      let deadlineBlock;
      if (deadlines.length) {
        const body = el("tbody");
        for (const item of deadlines) {
          const mark = CONFIDENCE[text(item.confidence).toUpperCase()];
          const confidence = mark
            ? el("td", {}, el("span", { class: `confidence confidence-${token(item.confidence)}` },
              mark[0]), " ", el("span", { class: "confidence-note" }, mark[1]))
            : el("td", {}, text(item.confidence) || "—");
          const left = daysLeftText(item.days_left);
          body.append(el("tr", {},
            el("th", { scope: "row" }, text(item.step) || "Next step"),
            el("td", { class: "nowrap" }, item.due ? formatDay(item.due) : "no date yet"),
            el("td", { class: Number(item.days_left) < 0 ? "passed nowrap" : "nowrap" }, left || "—"),
            el("td", {}, text(item.rule) || "—"),
            confidence));
        }
        deadlineBlock = el("div", { class: "table-wrap" }, el("table", { class: "deadlines",
          "aria-labelledby": ids("deadlines") },
          el("thead", {}, el("tr", {},
            el("th", { scope: "col" }, "Step"), el("th", { scope: "col" }, "Due"),
            el("th", { scope: "col" }, "Days left"), el("th", { scope: "col" }, "Rule"),
            el("th", { scope: "col" }, "Confidence"))),
          body));
      } else {
        deadlineBlock = el("p", { class: "empty-note" }, "No deadline worked out yet.");
      }

      const letters = Array.isArray(summary.letters_drafted) ? summary.letters_drafted : [];
      const lettersBlock = letters.length
        ? el("ul", { class: "letters" }, ...letters.map((name) => el("li", {}, text(name))))
        : el("p", { class: "empty-note" }, "None yet.");
      const helpLines = text(summary.help_lines);

      this.summary.replaceChildren(
        el("h3", { id: this.summaryHeading }, "Case summary"),
        facts,
        el("h4", { id: ids("deadlines") }, "Deadlines"), deadlineBlock,
        el("h4", {}, "Letters drafted"), lettersBlock,
        el("h4", {}, "Help lines given to the member"),
        helpLines ? el("p", { class: "help-lines" }, helpLines)
          : el("p", { class: "empty-note" }, "None recorded."));
    }

    renderCallback(callback) {
      const signature = JSON.stringify(callback || null);
      if (signature === this.callbackSignature) return;
      this.callbackSignature = signature;
      if (!callback || typeof callback !== "object") {
        this.callback.hidden = true;
        this.callback.replaceChildren();
        return;
      }
      const phone = text(callback.phone);
      const dial = phone.replace(/[^0-9+]/g, "");
      const phoneValue = dial ? el("a", { href: `tel:${dial}` }, phone) : (phone || "Not given");
      const requested = formatAt(callback.requested_at);
      this.callback.replaceChildren(
        el("h3", { id: this.callbackHeading }, "Callback requested"),
        el("dl", { class: "facts" },
          el("div", {}, el("dt", {}, "Phone"), el("dd", {}, phoneValue)),
          el("div", {}, el("dt", {}, "Best time"), valueOrUnknown(callback.best_time)),
          el("div", { class: "wide" }, el("dt", {}, "Note"),
            callback.note ? el("dd", { class: "keep-lines" }, text(callback.note))
              : el("dd", { class: "unknown" }, "No note")),
          requested ? el("div", {}, el("dt", {}, "Asked at"), el("dd", {}, requested)) : null));
      this.callback.hidden = false;
    }

    renderTranscript(lines) {
      const signature = JSON.stringify(lines);
      if (signature === this.transcriptSignature) return;
      this.transcriptSignature = signature;
      this.transcript.replaceChildren(...lines.map(lineNode));
      this.transcriptEmpty.hidden = lines.length > 0;
    }

    renderMessages(lines) {
      for (const line of lines) this.addLine(line, this.loaded);
      this.messagesEmpty.hidden = this.messages.childElementCount > 0;
    }

    /** Add one live message unless it is already shown; announce the member's new ones. */
    addLine(line, announce) {
      const key = lineKey(line);
      if (this.lineKeys.has(key)) return false;
      this.lineKeys.add(key);
      this.messages.append(lineNode(line));
      this.messagesEmpty.hidden = true;
      if (announce && line.from === "member") announceMessage(`Member: ${text(line.text)}`);
      return true;
    }

    rescueFocus() {
      if (this.error.textContent) this.error.focus();
      else $("#case-heading").focus();
    }

    showError(sentence) {
      this.error.textContent = sentence;
    }

    clearMessages() {
      this.error.textContent = "";
      this.note.textContent = "";
    }

    // -------------------------------------------------------------- actions

    async post(action, body) {
      return api(`/console/api/cases/${encodeURIComponent(this.id)}/${action}`,
        { method: "POST", body });
    }

    /** One POST on this case, with one busy guard and one way of showing every failure. */
    async act(action, onAnswer) {
      if (this.busy) return;
      this.busy = true;
      try {
        await onAnswer(await this.post(action));
      } catch (error) {
        if (error instanceof SignedOut) return;
        this.alert(UNREACHABLE);
      } finally {
        this.busy = false;
      }
    }

    alert(sentence) {
      this.showError(sentence);
      this.error.focus();
    }

    async take() {
      this.clearMessages();
      await this.act("take", async (result) => {
        if (result.status === 200) {
          if (result.data && result.data.case) this.applyRow(result.data.case);
          await refreshOpenCase();
          if (state.view === this && !this.compose.hidden) this.reply.focus();
        } else if (result.status === 409) {
          this.alert("Another advocate has taken this case.");
          refreshOpenCase();
        } else {
          this.alert(errorSentence(result, "The case could not be taken. Try again."));
        }
      });
    }

    /** Show a CaseRow from a POST answer at once; the full case follows from refreshOpenCase. */
    applyRow(row) {
      if (!row || row.id !== this.id) return;
      this.row = row;
      const badges = [statusBadge(row)];
      if (row.urgent) badges.push(" ", urgentBadge());
      this.badges.replaceChildren(...badges);
      this.renderMeta();
      this.renderActions();
      this.compose.hidden = !isMine(row);
    }

    askClose() {
      this.clearMessages();
      this.confirm.hidden = false;
      this.closeButton.hidden = true;
      this.closeButton.setAttribute("aria-expanded", "true");
      this.confirmYes.focus();
    }

    cancelClose() {
      this.confirm.hidden = true;
      if (this.row) this.renderActions();
      this.closeButton.focus();
    }

    async end(action) {
      this.error.textContent = "";
      await this.act(action, async (result) => {
        if (result.status === 200) {
          this.confirm.hidden = true;
          if (result.data && result.data.case) this.applyRow(result.data.case);
          this.note.textContent = action === "close"
            ? "You closed this case. The member is back with the automated assistant."
            : "You handed this case back to the automated assistant.";
          $("#case-heading").focus();
          await refreshOpenCase();
        } else {
          this.alert(errorSentence(result, "That did not work. Try again."));
        }
      });
    }

    async send() {
      const said = this.reply.value;
      if (!said.trim()) {
        this.showError("Write a message first.");
        return;
      }
      if (this.sending) return;
      this.sending = true;
      this.sendButton.setAttribute("aria-disabled", "true");
      this.error.textContent = "";
      try {
        const result = await this.post("messages", { text: said });
        if (result.status === 200) {
          const now = this.reply.value;
          if (now === said) this.reply.value = "";
          else if (now.startsWith(said)) this.reply.value = now.slice(said.length).replace(/^\n/, "");
          if (this.reply.value) state.drafts.set(this.id, this.reply.value);
          else state.drafts.delete(this.id);
          if (result.data && result.data.message) this.addLine(result.data.message, false);
          this.scrollToBottom();
        } else {
          this.showError(errorSentence(result, "The message was not sent. Try again."));
        }
      } catch (error) {
        if (error instanceof SignedOut) return;
        this.showError(`${UNREACHABLE} Your message is still in the box.`);
      } finally {
        this.sending = false;
        this.sendButton.removeAttribute("aria-disabled");
      }
    }
  }

  // ---------------------------------------------------------------- opening and refreshing

  let refreshing = null;
  let refreshAgain = false;

  function refreshOpenCase() {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        refreshAgain = false;
        await loadOpenCase();
      } while (refreshAgain && !state.leaving);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function loadOpenCase() {
    const view = state.view;
    if (!view) return;
    let result;
    try {
      result = await api(`/console/api/cases/${encodeURIComponent(view.id)}`);
    } catch (error) {
      if (error instanceof SignedOut) return;
      if (view === state.view) view.showError("The case could not be loaded. It loads again when the queue changes.");
      return;
    }
    if (view !== state.view) return;
    if (result.status === 200 && result.data && result.data.case) {
      view.update(result.data);
    } else if (result.status === 404) {
      view.loading.hidden = true;
      view.showError("This case is no longer available.");
    } else {
      view.loading.hidden = true;
      view.showError(errorSentence(result, "The case could not be loaded. Try again in a moment."));
    }
  }

  function openCase(id) {
    if (!Number.isFinite(id)) return;
    const heading = $("#case-heading");
    if (state.openId !== id) {
      state.openId = id;
      state.view = new CaseView(id);
      $(".case-empty").hidden = true;
      $(".case-slot").replaceChildren(state.view.root);
      const row = state.cases.find((item) => item.id === id);
      heading.textContent = row
        ? `Case ${text(row.id)}: ${place(row, " ") || "state and plan not known"}`
        : `Case ${id}`;
      markOpenItem();
    }
    heading.focus();
    refreshOpenCase();
  }

  // ---------------------------------------------------------------- start

  async function signOut() {
    const button = $(".sign-out");
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    try {
      const result = await api("/console/api/sign-out", { method: "POST" });
      if (result.status === 200) {
        toSignIn();
        return;
      }
      showGlobalError(errorSentence(result, "Signing out did not work. Try again."));
    } catch (error) {
      if (error instanceof SignedOut) return;
      showGlobalError(UNREACHABLE);
    } finally {
      button.removeAttribute("aria-disabled");
    }
  }

  function tick() {
    const rows = new Map(state.cases.map((row) => [text(row.id), row]));
    for (const button of document.querySelectorAll(".case-item")) {
      const row = rows.get(button.dataset.caseId);
      if (row) updateWaited(button, row);
    }
    if (state.view && state.view.row) state.view.renderMeta();
  }

  async function start() {
    $(".sign-out").addEventListener("click", signOut);
    $(".queue").addEventListener("keydown", moveInQueue);
    let backoff = MIN_BACKOFF_MS;
    for (;;) {
      try {
        const result = await api("/console/api/session");
        if (result.status === 200 && result.data && result.data.csrf) {
          state.name = text(result.data.name);
          state.username = text(result.data.username);
          state.csrf = text(result.data.csrf);
          break;
        }
        showGlobalError(errorSentence(result, "The console could not start. Trying again…"));
      } catch (error) {
        if (error instanceof SignedOut) return;
        showGlobalError(`${UNREACHABLE} Trying again…`);
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    showGlobalError("");
    $(".advocate-name").textContent = state.name || state.username;
    setInterval(tick, CLOCK_TICK_MS);
    pollQueue();
  }

  start();
})();
