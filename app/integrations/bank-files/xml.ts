/**
 * A strict XML reader for bank notifications on saxes (decision 0109): a well-kept streaming
 * (SAX) parser that gives line numbers and rejects anything not well-formed, because a half-read
 * payment file is worse than none. It builds elements with line numbers; a caller that reads a
 * big file as it arrives lets go of each element it has handled (`onClose` returning false), so
 * only the open path and what the caller keeps are held. Deliberately refused: DOCTYPE (and with
 * it custom entities, which also rules out entity-expansion attacks; saxes itself never expands
 * them). Namespaces are kept as prefixes; callers match on local names, which is what ISO 20022
 * documents need.
 */
import { SaxesParser } from "saxes";
import { BankFileError } from "./types";

export type XmlElement = {
  name: string; // qualified name as written, e.g. "ns2:Ntry"
  local: string; // name without prefix, e.g. "Ntry"
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string; // concatenated direct text and CDATA, entities decoded, untrimmed
  line: number;
};

export type XmlHooks = {
  /** The root element, as soon as its start tag is read (children not yet). */
  onRoot?: (root: XmlElement) => void;
  /** An element is complete; `ancestors` from the root down. False: do not keep it in its parent. */
  onClose?: (el: XmlElement, ancestors: readonly XmlElement[]) => boolean;
};

export class XmlTreeReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | undefined;
  private tagLine = 1;

  constructor(hooks: XmlHooks = {}) {
    const p = this.parser;
    p.on("error", (error) => {
      const message = error.message.replace(/^(?:.*?:)?\d+:\d+: /, "").replace(/\.$/, "");
      throw new BankFileError(Math.max(1, p.line), `malformed XML: ${message}`);
    });
    p.on("doctype", () => {
      throw new BankFileError(
        Math.max(1, p.line),
        "DOCTYPE and other declarations are not accepted in bank files",
      );
    });
    p.on("opentagstart", () => (this.tagLine = p.line));
    p.on("opentag", (tag) => {
      const name = tag.name;
      const el: XmlElement = {
        name,
        local: name.slice(name.indexOf(":") + 1),
        attrs: { ...(tag.attributes as Record<string, string>) },
        children: [],
        text: "",
        line: this.tagLine,
      };
      this.stack.push(el);
      if (!this.root) {
        this.root = el;
        hooks.onRoot?.(el);
      }
    });
    p.on("closetag", () => {
      const el = this.stack.pop()!;
      const keep = hooks.onClose?.(el, this.stack) ?? true;
      if (keep) this.stack.at(-1)?.children.push(el);
    });
    const text = (t: string) => {
      const top = this.stack.at(-1);
      if (top) top.text += t;
    };
    p.on("text", text);
    p.on("cdata", text);
  }

  write(text: string): void {
    this.parser.write(text);
  }

  /** The root, once the text is complete; an element left open names its own line. */
  end(): XmlElement {
    const open = this.stack.at(-1);
    if (open) throw new BankFileError(open.line, `malformed XML: <${open.name}> is never closed`);
    this.parser.close();
    if (!this.root) throw new BankFileError(1, "malformed XML: no root element");
    return this.root;
  }
}

/** A whole document as a tree (small files and tests). */
export function parseXml(source: string): XmlElement {
  const reader = new XmlTreeReader();
  reader.write(source.replace(/^\uFEFF/, ""));
  return reader.end();
}

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
