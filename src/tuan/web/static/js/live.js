// The chat WebSocket: logs in by the session cookie, resumes from the positions this page has
// seen (the server replays what changed since, then says "ready"), reconnects with backoff, and
// fills a "gap" over HTTP. Every message is handed on with its version so the page can drop
// one it already shows: a replay after a reconnect never duplicates anything.
import { isOffline, t } from "./boot.js";
import { api } from "./api.js";

const RETRY_MAX_MS = 15000;
const HEARTBEAT_MS = 25000;

export class Live {
  constructor({ positions = {}, onMessage = () => {}, onFrame = () => {}, onState = () => {} }) {
    this.positions = new Map(Object.entries(positions).map(([cid, p]) => [Number(cid), p]));
    this.onMessage = onMessage;
    this.onFrame = onFrame;
    this.onState = onState;
    this.socket = null;
    this.delay = 500;
    this.ready = false;
    this.timer = null;
    this.awaitingPong = false;
    window.addEventListener("online", () => this.reconnectSoon(0));
    // The browser knows before TCP does: drop the socket now rather than send into the void.
    window.addEventListener("offline", () => this.socket?.close());
    // A phone that sleeps or changes network can leave a socket dead without a close: a ping
    // left unanswered for a whole beat means it is gone.
    setInterval(() => this.heartbeat(), HEARTBEAT_MS);
  }

  heartbeat() {
    if (!this.ready) return;
    if (this.awaitingPong) {
      this.socket.close();
      return;
    }
    this.awaitingPong = this.send({ type: "ping", ref: "heartbeat" });
  }

  follow(cid, position) {
    const known = this.positions.get(cid);
    if (known === undefined || position > known) this.positions.set(cid, position);
  }

  connect() {
    clearTimeout(this.timer);
    this.ready = false;
    const previous = this.socket;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    this.socket = socket;
    previous?.close(); // only the newest socket speaks for this page
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "hello", positions: Object.fromEntries(this.positions) }));
    });
    socket.addEventListener("message", (event) => {
      if (this.socket === socket) this.receive(JSON.parse(event.data));
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.ready = false;
      this.onState("offline");
      this.reconnectSoon(this.delay);
      this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
    });
  }

  reconnectSoon(ms) {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN && this.ready) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), ms + Math.random() * 250);
  }

  send(frame) {
    if (!this.ready || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  deliver(cid, message) {
    this.follow(cid, message.version);
    this.onMessage(cid, message);
  }

  async receive(frame) {
    this.awaitingPong = false;
    if (frame.type === "message") {
      this.deliver(frame.conversation_id, frame.message);
    } else if (frame.type === "ready") {
      for (const [cid, position] of Object.entries(frame.positions)) this.follow(Number(cid), position);
      this.ready = true;
      this.delay = 500;
      this.onState("live");
    } else if (frame.type === "gap") {
      await this.fill(frame.conversation_id, frame.after, frame.to);
    } else if (frame.type === "resync") {
      // The server's event bus was away: say hello again on a new socket, so the server reads
      // this page's conversations afresh and sends whatever it is behind on.
      this.connect();
    } else if (frame.type === "error" && frame.code === "NOT_AUTHENTICATED") {
      location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
    }
    this.onFrame(frame);
  }

  // Too much was missed to replay on the socket: read it page by page over HTTP.
  async fill(cid, after, to) {
    let position = after;
    while (position < to) {
      const page = await api("GET", `/conversations/${cid}/messages?after=${position}&limit=500`);
      for (const message of page.messages) this.deliver(cid, message);
      if (!page.has_more || page.position <= position) break;
      position = page.position;
    }
  }
}

// The banner that tells a person the live connection dropped and is coming back.
export function showConnection(state) {
  const banner = document.getElementById("connection-status");
  if (!banner) return;
  if (isOffline()) return; // the offline banner (boot.js) says more than "reconnecting"
  banner.hidden = state === "live";
  banner.textContent = state === "live" ? "" : t("js.reconnecting");
}
