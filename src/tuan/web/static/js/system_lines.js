// Lines the server writes into a group's chat ("Mei joined") arrive as a code and its
// parameters; each reader sees them in their own language. A code this page does not know yet
// still says something true.
import { t } from "./boot.js";

export function systemLine(message) {
  const { code, params } = message.system ?? {};
  const key = `js.sys_${code}`;
  const text = t(key, params ?? {});
  return text === key ? t("js.sys_group_changed") : text;
}
