// Team purchases that move while a page shows them: the page asks the server to watch each team
// it shows (the server checks, as for a read, that this viewer may see it), and the server says
// "team N moved" — only the id. The page then reads the team again over HTTP, so what it shows
// is always what the server decides for this viewer. After a reconnect every watched team is
// watched again and read again: a move announced while the socket was away is never missed.
import { Live } from "./live.js";

const watched = new Map(); // team id → {code, refresh: Set of functions}
let live = null;

function watchFrame(teamId) {
  const { code } = watched.get(teamId);
  return code ? { type: "watch_team", team_id: teamId, code } : { type: "watch_team", team_id: teamId };
}

function refreshAll(teamId) {
  for (const refresh of watched.get(teamId)?.refresh ?? []) refresh();
}

function connection() {
  if (live) return live;
  live = new Live({
    // Once watched, read it again: it may have moved between the page's read and the watch.
    onFrame: (frame) => {
      if ((frame.type === "team" || frame.type === "watching") && watched.has(frame.team_id)) refreshAll(frame.team_id);
    },
    onState: (state) => {
      if (state === "live") for (const teamId of watched.keys()) live.send(watchFrame(teamId));
    },
  });
  // This socket is for teams only: it keeps no chat positions, so a reconnect replays no chat.
  live.follow = () => {};
  live.connect();
  return live;
}

// Call ``refresh`` whenever team ``teamId`` moves (``code``: a private team's share-link code).
export function watchTeam(teamId, code, refresh) {
  if (!teamId) return;
  const known = watched.get(teamId);
  if (known) {
    known.refresh.add(refresh);
    if (code && !known.code) known.code = code;
    return;
  }
  watched.set(teamId, { code: code || null, refresh: new Set([refresh]) });
  connection().send(watchFrame(teamId)); // before "ready" this waits for onState("live")
}
