import type { i18n } from "i18next";

const SCOPE_OPTIONS = new Set(["lng", "lngs", "ns", "keyPrefix"]);

/**
 * A text without count, context or values (most of a page's) is the same on every page in a
 * language: translated once, then remembered. Any other call goes to i18next as before.
 */
export function rememberPlainTexts(instance: i18n): i18n {
  const translate = instance.t.bind(instance) as (key: unknown, options?: unknown) => unknown;
  const texts = new Map<string, unknown>();
  const t = (key: unknown, options?: unknown) => {
    if (
      typeof key !== "string" ||
      typeof options !== "object" ||
      options === null ||
      !Object.keys(options).every((k) => SCOPE_OPTIONS.has(k))
    ) {
      return translate(key, options);
    }
    const o = options as Record<string, unknown>;
    const id = `${instance.language}\0${String(o.lng)}\0${String(o.lngs)}\0${String(o.ns)}\0${String(o.keyPrefix)}\0${key}`;
    let text = texts.get(id);
    if (text === undefined) {
      text = translate(key, options);
      if (typeof text === "string") texts.set(id, text);
    }
    return text;
  };
  instance.t = t as unknown as i18n["t"];
  return instance;
}
