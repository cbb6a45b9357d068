// Lines the server writes into a group's chat ("Mei joined") arrive as a code and its
// parameters; each reader sees them in their own language. A code this page does not know yet
// still says something true.
import { t } from "./boot.js";
import { isDeletedUser } from "./people.js";

// Each person a line names: the id parameter and the name beside it. An erased person's id is
// the deleted user's and their name is blank (ADR 0011): the line names the deleted user.
const NAMED = { user_id: "name", introduced_by: "introducer" };

export function systemLine(message) {
  const { code } = message.system ?? {};
  const params = { ...(message.system?.params ?? {}) };
  for (const [id, name] of Object.entries(NAMED)) {
    if (isDeletedUser(params[id])) params[name] = t("js.deleted_user");
  }
  const key = `js.sys_${code}`;
  const text = t(key, params);
  return text === key ? t("js.sys_group_changed") : text;
}
