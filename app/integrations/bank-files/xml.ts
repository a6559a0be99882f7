/**
 * A small, strict XML reader for bank notifications (no XML library is installed). It builds
 * an element tree with line numbers and rejects anything malformed, because a half-read
 * payment file is worse than none. Deliberately unsupported: DOCTYPE (and with it custom
 * entities, which also rules out entity-expansion attacks). Namespaces are kept as prefixes;
 * callers match on local names, which is what ISO 20022 documents need.
 */
import { BankFileError } from "./types";

export type XmlElement = {
  name: string; // qualified name as written, e.g. "ns2:Ntry"
  local: string; // name without prefix, e.g. "Ntry"
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string; // concatenated direct text and CDATA, entities decoded, untrimmed
  line: number;
};

const NAME = /[\p{L}_][\p{L}\p{N}_.-]*(?::[\p{L}_][\p{L}\p{N}_.-]*)?/uy;
const SPACE = /\s*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  const text = source.replace(/^\uFEFF/, "");
  // Line starts, so any offset can be turned into a line number by binary search.
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  const lineAt = (pos: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const fail = (pos: number, message: string): never => {
    throw new BankFileError(lineAt(pos), `malformed XML: ${message}`);
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&<\s]*);?/g, (match, ref: string, offset: number) => {
      const pos = at + offset;
      if (!match.endsWith(";")) fail(pos, `"&" must start an entity such as &amp;`);
      if (ref in ENTITIES) return ENTITIES[ref] ?? "";
      const code = /^#x[0-9a-f]+$/i.test(ref)
        ? parseInt(ref.slice(2), 16)
        : /^#\d+$/.test(ref)
          ? parseInt(ref.slice(1), 10)
          : NaN;
      if (!Number.isFinite(code) || code > 0x10ffff) fail(pos, `unknown entity &${ref};`);
      return String.fromCodePoint(code);
    });
  const readName = (pos: number): string => {
    NAME.lastIndex = pos;
    const match = NAME.exec(text);
    if (!match) return fail(pos, "expected an element or attribute name");
    return match[0];
  };
  const skipSpace = (pos: number): number => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    return SPACE.lastIndex;
  };

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  while (pos < text.length) {
    const current = stack[stack.length - 1];
    if (text[pos] !== "<") {
      const end = text.indexOf("<", pos);
      const stop = end === -1 ? text.length : end;
      const raw = text.slice(pos, stop);
      if (current) current.text += decode(raw, pos);
      else if (raw.trim() !== "") fail(pos, "text outside the root element");
      pos = stop;
    } else if (text.startsWith("<!--", pos)) {
      const end = text.indexOf("-->", pos + 4);
      if (end === -1) fail(pos, "comment is never closed");
      pos = end + 3;
    } else if (text.startsWith("<![CDATA[", pos)) {
      const end = text.indexOf("]]>", pos + 9);
      if (end === -1) fail(pos, "CDATA section is never closed");
      if (!current) fail(pos, "CDATA outside the root element");
      else current.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith("<?", pos)) {
      // XML declaration or processing instruction: nothing in it matters to us.
      const end = text.indexOf("?>", pos + 2);
      if (end === -1) fail(pos, "processing instruction is never closed");
      pos = end + 2;
    } else if (text.startsWith("<!", pos)) {
      fail(pos, "DOCTYPE and other declarations are not accepted in bank files");
    } else if (text.startsWith("</", pos)) {
      const name = readName(pos + 2);
      const after = skipSpace(pos + 2 + name.length);
      if (text[after] !== ">") fail(after, `expected ">" to end </${name}`);
      if (!current) fail(pos, `closing tag </${name}> has no matching opening tag`);
      else if (current.name !== name) {
        fail(
          pos,
          `expected </${current.name}> (opened on line ${current.line}) but found </${name}>`,
        );
      }
      stack.pop();
      pos = after + 1;
    } else {
      const start = pos;
      const name = readName(pos + 1);
      const element: XmlElement = {
        name,
        local: name.slice(name.indexOf(":") + 1),
        attrs: {},
        children: [],
        text: "",
        line: lineAt(start),
      };
      pos += 1 + name.length;
      for (;;) {
        const next = skipSpace(pos);
        if (text.startsWith("/>", next) || text[next] === ">") {
          pos = next;
          break;
        }
        if (next === pos) fail(next, `expected whitespace, ">" or "/>" in <${name}>`);
        const attr = readName(next);
        let p = skipSpace(next + attr.length);
        if (text[p] !== "=") fail(p, `attribute ${attr} has no value`);
        p = skipSpace(p + 1);
        const quote = text[p];
        if (quote !== '"' && quote !== "'")
          return fail(p, `attribute ${attr} value must be quoted`);
        const close = text.indexOf(quote, p + 1);
        if (close === -1) fail(p, `attribute ${attr} value is never closed`);
        const raw = text.slice(p + 1, close);
        if (raw.includes("<")) fail(p, `"<" is not allowed in attribute ${attr}`);
        if (attr in element.attrs) fail(next, `attribute ${attr} appears twice`);
        element.attrs[attr] = decode(raw, p + 1);
        pos = close + 1;
      }
      if (current) current.children.push(element);
      else if (root) fail(start, "a second root element");
      else root = element;
      if (text[pos] === ">") {
        stack.push(element);
        pos += 1;
      } else {
        pos += 2; // "/>": self-closing
      }
    }
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) {
    // Report where the unclosed element starts: that is where staff (or the bank) must look.
    throw new BankFileError(
      unclosed.line,
      `malformed XML: <${unclosed.name}> is never closed (file ends on line ${lineAt(text.length)})`,
    );
  }
  if (!root) throw new BankFileError(1, "malformed XML: no root element");
  return root;
}

/** First descendant reached by a "/"-separated path of local names, e.g. "BookgDt/Dt". */
export function find(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let current = el;
  for (const step of path.split("/")) {
    current = current?.children.find((c) => c.local === step);
    if (!current) return undefined;
  }
  return current;
}

/** All elements reached by a path; every step may branch (e.g. several NtryDtls). */
export function findAll(el: XmlElement, path: string): XmlElement[] {
  let level = [el];
  for (const step of path.split("/")) {
    level = level.flatMap((e) => e.children.filter((c) => c.local === step));
  }
  return level;
}

/** Trimmed text at a path, or undefined when the element is absent or empty. */
export function textAt(el: XmlElement | undefined, path: string): string | undefined {
  const value = find(el, path)?.text.trim();
  return value === "" ? undefined : value;
}

/** The namespace URI an element's prefix is bound to, looking through its ancestors. */
export function namespaceOf(el: XmlElement, ancestors: XmlElement[] = []): string | undefined {
  const colon = el.name.indexOf(":");
  const attr = colon === -1 ? "xmlns" : `xmlns:${el.name.slice(0, colon)}`;
  for (const scope of [el, ...ancestors.slice().reverse()]) {
    if (attr in scope.attrs) return scope.attrs[attr];
  }
  return undefined;
}
